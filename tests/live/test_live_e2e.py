"""End to end: `pytest --record-mode=rewrite` as a user runs it, in a tiny project, against the stand-in.

Record, drift, `quirks drift`, `quirks accept`, transient answers, a rejected key, an interrupted
run, a base URL where nothing answers, and runs without any key.
"""

from __future__ import annotations

import itertools
import shutil
import signal
from pathlib import Path

import pytest
from standin import Reply, StandIn
from tinyproject import PYTEST_INI, TARGETS, Project, live

from provider_quirks.cassette import load_cassette
from provider_quirks.providers import PROVIDERS

REPO = Path(__file__).resolve().parents[2]
KEYS = {
    "openai": "sk-e2e-openai-0123456789",
    "mistral": "e2e-mistral-0123456789",
    "anthropic": "sk-ant-e2e-0123456789",
    "gemini": "AIzaE2eKey0123456789abcdefghij",
}


def record_all(project: Project, stand_in: StandIn, results: str = "run1.json") -> dict[str, bytes]:
    for name in TARGETS:
        stand_in.behaviour[name].rejected = {"extra"}
    first = project.pytest(*live(results), env=stand_in.environ(KEYS))
    assert first.returncode == 0, first.stdout + first.stderr
    return {name: project.cassette(name).read_bytes() for name in TARGETS}


def test_record_drift_accept(project, stand_in):
    record_all(project, stand_in)
    assert project.statuses("run1.json") == {
        TARGETS["openai"]: "holds",
        TARGETS["mistral"]: "holds",
        TARGETS["anthropic"]: "holds",
        TARGETS["gemini"]: "pending",  # no expectation yet, but recorded for review
    }
    cells = {c["target"]: c for c in project.results("run1.json")["cells"]}
    assert cells[TARGETS["openai"]]["tokens"] == {"input": 9, "output": 2}
    assert project.results("run1.json")["mode"] == "live"

    stand_in.behaviour["openai"].rejected = set()  # OpenAI now accepts the field it rejected
    second = project.pytest(*live("run2.json"), env=stand_in.environ(KEYS))
    assert second.returncode == 1
    assert "drift: extra-field on openai@gpt-4o-mini no longer behaves as expected" in second.stdout
    statuses = project.statuses("run2.json")
    assert [t for t, s in statuses.items() if s == "drift"] == [TARGETS["openai"]]
    assert [i.status for i in load_cassette(project.cassette("openai")).interactions] == [200, 200]

    drift = project.quirks("drift", ".quirks/run1.json", ".quirks/run2.json")
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert "extra-field" in drift.stdout and TARGETS["openai"] in drift.stdout
    before = (project.root / "quirks" / "extra_field.yaml").read_text()
    accepted = project.quirks("accept", ".quirks/run2.json", "--quirk", "extra-field", "--provider", "openai")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert (project.root / "quirks" / "extra_field.yaml").read_text() != before

    third = project.pytest(*live("run3.json"), env=stand_in.environ(KEYS))
    assert third.returncode == 0, third.stdout
    assert project.statuses("run3.json")[TARGETS["openai"]] == "holds"
    replay = project.pytest("quirks", "--quirks-results=.quirks/replay.json", env={})
    assert replay.returncode == 0, replay.stdout
    assert project.statuses("replay.json")[TARGETS["openai"]] == "holds"


def test_a_first_recording_is_adopted_only_when_asked(project, stand_in):
    record_all(project, stand_in)
    expectations = project.root / "quirks" / "extra_field.yaml"
    before = expectations.read_text()
    plain = project.quirks("accept", ".quirks/run1.json")
    assert plain.returncode == 0 and expectations.read_text() == before  # drift only, by default
    first = project.quirks("accept", ".quirks/run1.json", "--unreviewed", "--provider", "gemini")
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"extra-field[{TARGETS['gemini']}] probe extra" in first.stdout
    replay = project.pytest("quirks", "--quirks-results=.quirks/replay.json", env={})
    assert replay.returncode == 0, replay.stdout
    assert project.statuses("replay.json")[TARGETS["gemini"]] == "holds"
    cell = expectations.read_text().split(f"{TARGETS['gemini']}:")[1]
    assert "evidence: recorded" in cell and "status: 400" in cell  # the recorded rejection, stated


def test_transient_answers_and_a_rejected_key_never_drift(project, stand_in):
    recorded = record_all(project, stand_in)
    busy = Reply(503, {"error": {"message": "The server is overloaded"}}, {"retry-after": "0"})
    stand_in.behaviour["openai"].queue = [Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "0"})]
    stand_in.behaviour["anthropic"].queue = [busy] * 20
    stand_in.behaviour["mistral"].key = "the-key-mistral-expects"
    second = project.pytest(*live("run2.json"), env=stand_in.environ(KEYS))
    assert second.returncode == 0, second.stdout
    statuses = project.statuses("run2.json")
    assert statuses[TARGETS["openai"]] == "holds"  # retried after the 429
    assert statuses[TARGETS["anthropic"]] == "inconclusive"
    assert statuses[TARGETS["mistral"]] == "inconclusive"
    assert "check your key (MISTRAL_API_KEY)" in project.reasons("run2.json")[TARGETS["mistral"]]
    assert "2 inconclusive cell(s): their cassettes were kept as they were" in second.stdout
    assert project.cassette("anthropic").read_bytes() == recorded["anthropic"]
    assert project.cassette("mistral").read_bytes() == recorded["mistral"]
    assert KEYS["mistral"] not in (project.root / ".quirks" / "run2.json").read_text()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_an_interrupted_run_leaves_each_cassette_old_or_new(project, stand_in, stop):
    recorded = record_all(project, stand_in)
    stand_in.behaviour["openai"].rejected = set()  # so that the new openai cassette differs
    stand_in.behaviour["mistral"].hold_at = len(stand_in.requests_of("mistral")) + 1  # its second probe
    process = project.popen(*live("run2.json"), env=stand_in.environ(KEYS))
    try:
        assert stand_in.held.wait(30), "the run never reached mistral's second probe"
        process.send_signal(stop)
        process.wait(30)
    finally:
        stand_in.release.set()
        process.kill()
        process.communicate()
    assert process.returncode != 0
    new_openai = load_cassette(project.cassette("openai"))
    assert [i.status for i in new_openai.interactions] == [200, 200]  # the finished cell: new, whole
    for name in ("mistral", "anthropic", "gemini"):  # interrupted or not reached: old, byte for byte
        assert project.cassette(name).read_bytes() == recorded[name], name
    assert [p.name for p in (project.root / "cassettes").rglob("*") if p.name.endswith(".tmp")] == []


def test_a_base_url_where_nothing_answers(project, stand_in, unused_port):
    recorded = record_all(project, stand_in)
    env = {**stand_in.environ(KEYS), "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{unused_port}"}
    result = project.pytest(*live("run2.json"), env=env)
    assert result.returncode == 1
    line = f"anthropic: nothing answers at http://127.0.0.1:{unused_port} after 4 attempt(s)"
    assert line in result.stdout and "check ANTHROPIC_BASE_URL" in result.stdout
    assert project.cassette("anthropic").read_bytes() == recorded["anthropic"]
    statuses = project.statuses("run2.json")
    assert statuses[TARGETS["openai"]] == "holds"  # the other providers went on
    assert statuses[TARGETS["anthropic"]] == "inconclusive"  # and the cell is still in the results


def test_an_unknown_provider_is_one_line(project):
    result = project.pytest(*live("run.json", "--providers", "openai,nope"), env={})
    assert result.returncode == 4
    assert "--providers: unknown provider 'nope'; known: openai" in result.stderr


@pytest.mark.parametrize(("option", "value"), [("--quirks-timeout", "0"), ("--quirks-provider-budget", "soon")])
def test_a_timeout_or_budget_that_is_not_a_positive_number_is_one_line(project, option, value):
    result = project.pytest(*live("run.json", option, value), env={})
    assert result.returncode == 4
    assert f"argument {option}: expected a number of seconds above 0, got '{value}'" in result.stderr


def test_no_keys_skips_every_provider_and_changes_no_file(project):
    before = project.snapshot()
    result = project.pytest(*live("run.json"), env={})
    assert result.returncode == 0, result.stdout
    assert set(project.statuses("run.json").values()) == {"skipped"}
    reasons = project.reasons("run.json")
    for provider, target in TARGETS.items():
        assert reasons[target] == f"no key: set {PROVIDERS[provider].key_env} to record {PROVIDERS[provider].title}"
    assert project.snapshot() == before


def test_no_keys_on_the_real_catalog_changes_no_file(tmp_path):
    copy = tmp_path / "catalog"
    for folder in ("quirks", "cassettes"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "pytest.ini").write_text(PYTEST_INI)
    project = Project(copy, write=False)
    before = project.snapshot()
    result = project.pytest(*live("run.json"), env={})
    assert result.returncode == 0, result.stdout[-2000:]
    statuses = set(project.statuses("run.json").values())
    assert statuses <= {"skipped", "n/a"}, statuses
    assert project.snapshot() == before


def test_a_live_run_sends_one_provider_after_the_other(project, stand_in):
    """The drift workflow's serial run: a provider's cells in a row, so that its budget counts its own requests."""
    project.add_twin("extra-field-twin")  # collected after every extra-field cell: catalog order interleaves
    for name in TARGETS:
        stand_in.behaviour[name].rejected = {"extra"}
    result = project.pytest(*live("run.json"), env=stand_in.environ(KEYS))
    assert result.returncode == 0, result.stdout
    cells = project.results("run.json")["cells"]
    assert sorted(c["status"] for c in cells) == sorted(["holds"] * 6 + ["pending"] * 2)  # gemini: pending
    order = [seen.provider for seen in stand_in.seen]
    assert [provider for provider, _ in itertools.groupby(order)] == list(TARGETS)  # each provider once, in a row
    assert stand_in.max_total_in_flight == 1  # one request at a time


def test_providers_recorded_in_parallel_workers_without_cross_talk(project, stand_in):
    """xdist workers record providers at once; the controller gathers every cell, each with its own answers.

    One cell per provider, so no provider is split over workers (--dist loadgroup does not keep
    a provider's cells together with pytest-xdist 3.8, issue #1386).
    """
    pytest.importorskip("xdist")
    for name in TARGETS:
        stand_in.behaviour[name].rejected = {"extra"}
        stand_in.behaviour[name].delay = 0.15
    args = live("run.json", "-n", "2", "-p", "xdist")
    result = project.pytest(*args, env=stand_in.environ(KEYS))
    assert result.returncode == 0, result.stdout
    assert project.statuses("run.json") == {
        TARGETS["openai"]: "holds",
        TARGETS["mistral"]: "holds",
        TARGETS["anthropic"]: "holds",
        TARGETS["gemini"]: "pending",
    }
    assert set(stand_in.max_in_flight.values()) == {1}  # never two requests at once to one provider
    assert stand_in.max_total_in_flight >= 2  # but providers in parallel


def test_every_provider_has_a_stand_in_dialect():
    """The stand-in answers every provider the suite knows (a new provider needs a dialect here)."""
    served = {"openai-chat", "anthropic-messages", "gemini-generate", "openai-responses"}
    assert {p.dialect.name for p in PROVIDERS.values()} <= served


def test_subprocess_helper_does_not_leak_real_keys(project, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-key-from-the-machine")
    assert "OPENAI_API_KEY" not in project.env({})
