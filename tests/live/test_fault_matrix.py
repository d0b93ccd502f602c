"""The fault matrix: what a live run does with each way a provider (or what is in front of it) fails.

Each row is a real live run (``pytest --record-mode=rewrite`` in a subprocess, through the plugin)
of a tiny project whose provider has two cells, against the loopback stand-in serving the fault.
It asserts the cells' status, what happened to the cassettes, the line the user sees, the waits
and how many requests reached the provider. The project's conftest writes the waits down instead
of sleeping them, so the matrix runs in seconds. README.md ("Faults in a live run") shows the same
table; ``test_the_readme_table_is_the_matrix`` keeps the two equal.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from standin import CLOSE, HANG, RESET, Raw, Reply, StandIn, running
from tinyproject import QUIRK_ID, TARGETS, Project, live

from provider_quirks.cassette import load_cassette
from provider_quirks.catalog import load_entry
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.targets import resolve_target

README = Path(__file__).resolve().parents[2] / "README.md"
TWIN = "extra-field-twin"
KEYS = {"openai": "sk-matrix-openai-0123456789", "anthropic": "sk-ant-matrix-0123456789"}
TIMEOUT = 1.0
WRITTEN = "written (the good answers only)"
KEPT = "kept byte for byte"

#: The project's conftest: the plugin's settings get a sleep that records the waits.
CONFTEST = '''"""Waits are written down, not slept: the fault matrix runs in seconds."""

import dataclasses
import json
from pathlib import Path

import pytest

from provider_quirks.plugin import settings_key


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    waits = []
    config.stash[settings_key] = dataclasses.replace(config.stash[settings_key], sleep=waits.append)

    def write_waits():
        Path(".quirks").mkdir(exist_ok=True)
        Path(".quirks", "waits.json").write_text(json.dumps(waits))

    config.add_cleanup(write_waits)
'''

RATE_LIMITED = {"error": {"message": "Rate limit reached", "type": "requests"}}
OVERLOADED = {"error": {"message": "The server is overloaded"}}
ANTHROPIC_OVERLOADED = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
CHUNK = b'data: {"choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": null}]}\n\n'
PROXY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n"


@dataclass(frozen=True)
class Fault:
    fault: str
    cell: str
    cassette: str
    #: What the user sees at the end of the run; "…" stands for what differs from run to run.
    line: str
    provider: str = "openai"
    queue: tuple[Reply | Raw | str, ...] = ()
    always: Reply | Raw | str | None = None
    refused: bool = False
    waits: tuple[float, ...] = (1.0, 2.0)
    #: requests that reached the provider (its two cells have two probes each)
    sent: int = 3

    def readme_row(self) -> tuple[str, str, str, str, str]:
        waits = ", ".join(f"{seconds:g} s" for seconds in self.waits) or "none"
        return (self.fault, waits, self.cell, self.cassette, f"`{self.line}`")


def stopped(provider: str, why: str) -> str:
    return f"{provider}: {why}; its other cell was not sent"


MATRIX = (
    Fault(
        "429 with `retry-after: 2` (seconds), then an answer",
        "holds",
        WRITTEN,
        "2 passed",
        queue=(Reply(429, RATE_LIMITED, {"retry-after": "2"}),),
        waits=(2.0,),
        sent=5,
    ),
    Fault(
        "429 with `retry-after` as an HTTP date (in 2099), then an answer",
        "holds",
        WRITTEN,
        "2 passed",
        queue=(Reply(429, RATE_LIMITED, {"retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"}),),
        waits=(30.0,),  # honoured up to the cap
        sent=5,
    ),
    Fault(
        "503 twice, then an answer",
        "holds",
        WRITTEN,
        "2 passed",
        queue=(Reply(503, OVERLOADED), Reply(503, OVERLOADED)),
        sent=6,
    ),
    Fault(
        "529 (Anthropic overloaded), every time",
        "inconclusive",
        KEPT,
        stopped("anthropic", "529 on 3 requests in a row"),
        provider="anthropic",
        always=Reply(529, ANTHROPIC_OVERLOADED),
    ),
    Fault(
        "connection refused",
        "inconclusive, and the run fails",
        KEPT,
        "openai: nothing answers at … after 4 attempt(s) (… Connection refused); "
        "check OPENAI_BASE_URL or --target-base-url openai@gpt-4o-mini=URL",
        refused=True,
        waits=(1.0, 2.0, 4.0),
        sent=0,
    ),
    Fault(
        "reset in the middle of the body, every time",
        "inconclusive",
        KEPT,
        stopped("openai", "connection reset on 3 requests in a row"),
        always=Raw(200, "application/json", b'{"id": "chatcmpl-standin", "object": "chat.comp', RESET),
    ),
    Fault(
        "a server that never answers",
        "inconclusive",
        KEPT,
        stopped("openai", f"no answer within {TIMEOUT:g} s (--quirks-timeout)"),
        always=HANG,
        waits=(),
        sent=1,
    ),
    Fault(
        "SSE stream cut in the middle of an event, every time",
        "inconclusive",
        KEPT,
        stopped("openai", "body cut short on 3 requests in a row"),
        always=Raw(200, "text/event-stream", CHUNK + b'data: {"choices": [{"ind', CLOSE),
    ),
    Fault(
        "200 SSE stream with no terminator (the connection stays open)",
        "inconclusive",
        KEPT,
        stopped("openai", f"no answer within {TIMEOUT:g} s (--quirks-timeout)"),
        always=Raw(200, "text/event-stream", CHUNK, HANG),
        waits=(),
        sent=1,
    ),
    Fault(
        "502 HTML page from a proxy, every time",
        "inconclusive",
        KEPT,
        stopped("openai", "502 on 3 requests in a row"),
        always=Raw(502, "text/html", PROXY_PAGE),
    ),
    Fault(
        "200 whose JSON is invalid, every time",
        "inconclusive",
        KEPT,
        stopped("openai", "invalid JSON on 3 requests in a row"),
        always=Raw(200, "application/json", b'{"id": "chatcmpl-standin", "choices": ['),
    ),
)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with both quirks recorded for openai and anthropic: what each row starts from."""
    project = Project(tmp_path_factory.mktemp("matrix") / "project")
    project.add_twin(TWIN)
    (project.root / "conftest.py").write_text(CONFTEST)
    with running() as stand_in:
        settings = RunSettings(
            live=True, cassette_dir=project.root / "cassettes", root=project.root, environ=stand_in.environ(KEYS)
        )
        for provider in KEYS:
            stand_in.behaviour[provider].rejected = {"extra"}
            for module in ("extra_field.py", "extra_field_twin.py"):
                entry = load_entry(project.root / "quirks" / module)
                assert run_cell(entry, resolve_target(TARGETS[provider]), settings).status == "holds"
    return project.root


@pytest.mark.parametrize("row", MATRIX, ids=[row.fault for row in MATRIX])
def test_fault(row: Fault, recorded: Path, tmp_path: Path, stand_in: StandIn, unused_port: int) -> None:
    project = Project(tmp_path / "project", write=False)
    shutil.copytree(recorded, project.root)
    cassettes = [project.cassette(row.provider, quirk) for quirk in (QUIRK_ID, TWIN)]
    before = [path.read_bytes() for path in cassettes]
    if row.cassette == WRITTEN:
        for path in cassettes:
            path.unlink()
    behaviour = stand_in.behaviour[row.provider]
    behaviour.rejected = {"extra"}
    behaviour.queue = list(row.queue)
    behaviour.always = row.always
    env = stand_in.environ(KEYS)
    if row.refused:
        env["OPENAI_BASE_URL"] = f"http://127.0.0.1:{unused_port}/v1"

    args = live("run.json", "--providers", row.provider, "--quirks-timeout", f"{TIMEOUT:g}")
    result = project.pytest(*args, env=env)

    output = result.stdout + result.stderr
    assert result.returncode == (1 if row.refused else 0), output
    assert re.search(".*".join(re.escape(part) for part in row.line.split("…")), output), output
    cells = project.results("run.json")["cells"]
    assert [c["quirk"] for c in cells] == [QUIRK_ID, TWIN]
    assert {c["status"] for c in cells} == {row.cell.split(",")[0]}
    if row.cassette == KEPT:
        assert [path.read_bytes() for path in cassettes] == before
    else:
        for path in cassettes:
            assert [i.status for i in load_cassette(path).interactions] == [400, 200]
    assert tuple(json.loads((project.root / ".quirks" / "waits.json").read_text())) == row.waits
    assert len(stand_in.requests_of(row.provider)) == row.sent


def readme_matrix() -> list[tuple[str, ...]]:
    """The rows of the table under README's "### Faults in a live run"."""
    section = README.read_text().split("### Faults in a live run", 1)[1]
    table = re.search(r"^\|.*?(?=\n\n|\Z)", section, flags=re.M | re.S)
    assert table, "no table under '### Faults in a live run'"
    rows = [line.strip("|").split(" | ") for line in table.group(0).splitlines()[2:]]
    return [tuple(cell.strip() for cell in row) for row in rows]


def test_the_readme_table_is_the_matrix() -> None:
    assert readme_matrix() == [row.readme_row() for row in MATRIX]
