"""Expectation files fail loudly, naming the file and the entry; matching is strict where stated.

The one-line-per-problem reports (several problems, several files, pytest and the CLI) are in
``test_catalog_errors.py``.
"""

import textwrap
from pathlib import Path

import pytest

from provider_quirks.catalog import CatalogError, load_catalog
from provider_quirks.expectations import ExpectationError, dump_expectations, load_expectations
from provider_quirks.matching import mismatches

ROOT = Path(__file__).resolve().parents[1]

QUIRK_MODULE = """
from provider_quirks.quirk import Probe, Quirk, chat_with
QUIRK = Quirk(
    id="demo", title="Demo", category="test", summary="s", why_it_matters="w", workaround="k",
    targets=("openai@gpt-4o-mini", "anthropic@claude-haiku-4-5"),
    probes=(Probe(id="p", summary="s", build=chat_with({"openai-chat": {"n": 1}}, otherwise="openai only")),),
)
"""

VALID = """
quirk: demo
cells:
  openai@gpt-4o-mini:
    evidence: reconstructed
    sources:
    - https://example.org/issue
    probes:
      p:
        since: 2025-01-01
        expect:
          outcome: rejected
  anthropic@claude-haiku-4-5:
    n/a: the Messages API has no n
"""


def write_project(tmp_path: Path, expectations: str) -> Path:
    quirks = tmp_path / "quirks"
    quirks.mkdir()
    (quirks / "demo.py").write_text(QUIRK_MODULE)
    (quirks / "demo.yaml").write_text(textwrap.dedent(expectations))
    return quirks


def test_valid_file_loads(tmp_path):
    entries = load_catalog(write_project(tmp_path, VALID))
    assert [e.quirk.id for e in entries] == ["demo"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("openai@gpt-4o-mini:", "openai@gpt-9:"), "cells.openai@gpt-9"),
        (("      p:\n", "      q:\n"), "probes.q: quirk demo has no such probe"),
        (("outcome: rejected", "outcome: rejected\n          status: {$near: 1}"), "unknown operator '$near'"),
        (("since: 2025-01-01", "since: last year"), "probes.p.since: a date"),
        (("evidence: reconstructed", "evidence: rumour"), "evidence: 'rumour' is not one of"),
        (("    - https://example.org/issue\n", "    - see the issue\n"), "sources: a list of URLs"),
        (("n/a: the Messages API has no n", "n/a: ''"), "a reason"),
        (("quirk: demo", "quirk: other"), "names quirk 'other'"),
    ],
)
def test_malformed_entries_name_file_and_entry(tmp_path, change, message):
    quirks = write_project(tmp_path, VALID.replace(*change))
    with pytest.raises((CatalogError, ExpectationError)) as error:
        load_catalog(quirks)
    assert "demo.yaml" in str(error.value)
    assert message in str(error.value)


def test_probe_that_does_not_apply_cannot_have_an_expectation(tmp_path):
    extra = VALID.replace(
        "    n/a: the Messages API has no n\n",
        "    evidence: reconstructed\n    sources: [https://example.org]\n    probes:\n"
        "      p: {since: 2025-01-01, expect: {outcome: rejected}}\n",
    )
    with pytest.raises(CatalogError, match="the probe does not apply here"):
        load_catalog(write_project(tmp_path, extra))


def test_a_target_left_out_of_the_file_is_pending_not_an_error(tmp_path):
    quirks = write_project(
        tmp_path, VALID.replace("anthropic@claude-haiku-4-5:\n    n/a: the Messages API has no n\n", "")
    )
    (entry,) = load_catalog(quirks)
    (target,) = [t for t in entry.targets() if t.id == "anthropic@claude-haiku-4-5"]
    assert entry.cell(target).status == "pending"
    assert entry.cell(target).reason == "no evidence yet: anthropic@claude-haiku-4-5 is not in demo.yaml"


def test_unparsable_yaml_names_the_file_line_and_column(tmp_path):
    with pytest.raises(CatalogError, match=r"demo\.yaml:2:1: not valid YAML"):
        load_catalog(write_project(tmp_path, "quirk: [unclosed"))


def test_committed_expectation_files_are_canonical():
    """`quirks accept` rewrites files through the canonical dumper, so nothing else may move."""
    for path in sorted((ROOT / "quirks").glob("*.yaml")):
        assert dump_expectations(load_expectations(path)) == path.read_text(encoding="utf-8"), path.name


def test_every_committed_quirk_loads():
    assert load_catalog(ROOT / "quirks")


@pytest.mark.parametrize(
    ("expected", "observed", "found"),
    [
        ({"status": 422}, {"status": 422, "extra": 1}, []),
        ({"status": 422}, {"status": 400}, ["status: expected 422, observed 400"]),
        ({"error": {"param": "body.n"}}, {"error": None}, ["error: expected an object, observed None"]),
        ({"error": {"message": {"$contains": "Extra"}}}, {"error": {"message": "Extra inputs"}}, []),
        (
            {"error": {"message": {"$regex": r"> \d+"}}},
            {"error": {"message": "no cap"}},
            ["error.message: expected $regex"],
        ),
        ({"usage": {"$present": True}}, {"usage": None}, ["usage: expected $present"]),
        ({"choices": {"$gte": 2}}, {"choices": 1}, ["choices: expected $gte"]),
        ({"tool_calls": [{"name": "f"}]}, {"tool_calls": []}, ["tool_calls: expected"]),
    ],
)
def test_matching(expected, observed, found):
    result = mismatches(expected, observed)
    assert len(result) == len(found)
    for text, prefix in zip(result, found, strict=True):
        assert text.startswith(prefix)
