"""``quirks reconstruct --quoted`` records which parts of the answer the source shows.

The cassette it writes must pass the reviewed-data check of ``test_quoted_parts.py``, and
``quirks inspect`` must then tell the quoted parts from the suite's fill-in. A list that names an
unknown part or leaves out the body is refused in one line, and nothing is written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_quoted_parts import quoted_problems

from provider_quirks.cassette import load_cassette
from provider_quirks.cli import main

ROOT = Path(__file__).resolve().parents[1]
TARGET = "gemini@gemini-2.5-flash"
BODY = '{"error": {"code": 400, "message": "Invalid JSON payload received.", "status": "INVALID_ARGUMENT"}}'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """One quirk (null-values) and no cassettes: reconstruct creates the cell's cassette."""
    (tmp_path / "quirks").mkdir()
    for suffix in (".py", ".yaml"):
        shutil.copy(ROOT / "quirks" / f"null_values{suffix}", tmp_path / "quirks" / f"null_values{suffix}")
    (tmp_path / "quoted.json").write_text(BODY)
    return tmp_path


def reconstruct(project: Path, *quoted: str) -> int:
    return main(
        ["reconstruct", "null-values", TARGET, "nulls-omitted", "--status", "400", "--root", str(project),
         "--body", str(project / "quoted.json"), "--source", "https://github.com/example/project/issues/1",
         "--source-date", "2025-06-01", "--note", "a Gemini 400 body, quoted for this test", *quoted]
    )  # fmt: skip


def cassette(project: Path) -> Path:
    return project / "cassettes" / "null-values" / f"{TARGET}.yaml"


def test_default_quotes_the_body_only(project, capsys):
    assert reconstruct(project) == 0
    written = load_cassette(cassette(project))
    assert quoted_problems(written) == []
    [interaction] = written.interactions
    assert interaction.evidence is not None and interaction.evidence["quoted"] == ["body"]


def test_quoted_parts_are_written_in_order_and_inspect_shows_the_rest_filled(project, capsys):
    assert reconstruct(project, "--quoted", "body, reason,status") == 0
    written = load_cassette(cassette(project))
    assert quoted_problems(written) == []
    assert written.interactions[0].evidence["quoted"] == ["status", "reason", "body"]
    capsys.readouterr()
    assert main(["inspect", str(cassette(project))]) == 0
    [view] = json.loads(capsys.readouterr().out)
    assert view["evidence"]["quoted"] == ["status", "reason", "body"]
    assert view["evidence"]["filled"] == ["headers"]  # the content-type the suite wrote


@pytest.mark.parametrize(
    ("quoted", "message"),
    [
        ("status,reason", "--quoted must include body"),
        ("status,body,trailers", "--quoted: unknown part(s) trailers (parts: status, reason, headers, body)"),
    ],
)
def test_a_bad_list_is_refused_in_one_line(project, capsys, quoted, message):
    assert reconstruct(project, "--quoted", quoted) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not cassette(project).exists()
