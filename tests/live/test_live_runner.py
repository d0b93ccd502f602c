"""The live path in-process, against the stand-in: recording, retries, inconclusive cells, nothing lost."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from pathlib import Path
from typing import Any

import pytest
from standin import RESET, Reply, StandIn
from tinyproject import TARGETS, Project

from provider_quirks import sending
from provider_quirks.cassette import load_cassette
from provider_quirks.catalog import CatalogEntry, load_entry
from provider_quirks.results import CellResult
from provider_quirks.run_state import RunState
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.sending import ProviderUnreachable
from provider_quirks.targets import resolve_target

KEYS = {
    "openai": "sk-test-openai-0123456789",
    "mistral": "mistral-key-0123456789",
    "anthropic": "sk-ant-test-0123456789",
    "gemini": "AIzaTestKey0123456789abcdefghij",
}


@pytest.fixture
def entry(project: Project) -> CatalogEntry:
    return load_entry(project.root / "quirks" / "extra_field.py")


class Live:
    """A live run pointed at the stand-in: its settings, the state kept across cells, the waits not slept."""

    def __init__(self, project: Project, stand_in: StandIn, **overrides: Any) -> None:
        self.slept: list[float] = []
        self.settings = RunSettings(
            live=True,
            cassette_dir=project.root / "cassettes",
            root=project.root,
            environ={**stand_in.environ(KEYS), **overrides.pop("environ", {})},
            sleep=self.slept.append,
            **overrides,
        )
        self.state = RunState.for_run(self.settings)

    def run(self, entry: CatalogEntry, provider: str) -> CellResult:
        return run_cell(entry, resolve_target(TARGETS[provider]), self.settings, self.state)


def reject_extra(stand_in: StandIn) -> None:
    for name in ("openai", "mistral", "anthropic", "gemini"):
        stand_in.behaviour[name].rejected = {"extra"}


def test_a_live_cell_records_every_probe_without_the_key(project, stand_in, entry):
    reject_extra(stand_in)
    result = Live(project, stand_in).run(entry, "openai")
    assert (result.status, result.reason) == ("holds", None)
    assert result.tokens == {"input": 9, "output": 2}  # the accepted probe's usage; the rejected one costs none
    text = project.cassette("openai").read_text()
    cassette = load_cassette(project.cassette("openai"))
    assert cassette.evidence["level"] == "recorded"
    assert cassette.evidence["model"] == "gpt-4o-mini"
    assert [i.status for i in cassette.interactions] == [400, 200]
    assert KEYS["openai"] not in text and "authorization" not in text.lower()
    assert stand_in.requests_of("openai")[0].headers["authorization"] == f"Bearer {KEYS['openai']}"
    # Sent to the stand-in under /openai/v1, recorded under the public base URL, so replay finds it.
    assert {i.uri for i in cassette.interactions} == {"https://api.openai.com/v1/chat/completions"}
    assert str(stand_in.port) not in text
    replayed = run_cell(entry, resolve_target(TARGETS["openai"]), replay(project))
    assert replayed.status == "holds"
    # Each probe names the interaction that answered it, recorded and replayed alike.
    assert [p.interaction for p in result.probes] == [p.interaction for p in replayed.probes] == [0, 1]


def test_the_base_url_of_a_run_never_reaches_the_cassette(project, stand_in, entry):
    """Recorded through an override (trailing slash and all), replayed with another one set: same cassette."""
    reject_extra(stand_in)
    live = Live(project, stand_in, environ={"ANTHROPIC_BASE_URL": stand_in.base_url("anthropic") + "/"})
    assert live.run(entry, "anthropic").status == "holds"
    uris = {i.uri for i in load_cassette(project.cassette("anthropic")).interactions}
    assert uris == {"https://api.anthropic.com/v1/messages"}
    elsewhere = replay(project, {"ANTHROPIC_BASE_URL": "http://elsewhere.invalid/x"})
    assert run_cell(entry, resolve_target(TARGETS["anthropic"]), elsewhere).status == "holds"


def replay(project: Project, environ: dict[str, str] | None = None) -> RunSettings:
    return RunSettings(live=False, cassette_dir=project.root / "cassettes", root=project.root, environ=environ or {})


def test_probes_without_expectation_are_recorded_for_review(project, stand_in, entry):
    reject_extra(stand_in)
    live = Live(project, stand_in)
    mistral = live.run(entry, "mistral")  # probe `extra` is pending, `plain` expected
    assert mistral.status == "holds"
    assert "1 probe(s) recorded without expectation" in (mistral.reason or "")
    assert [p.observed["status"] for p in mistral.probes if p.observed] == [400, 200]
    gemini = live.run(entry, "gemini")  # the whole cell is pending
    assert gemini.status == "pending"
    assert "recorded without expectation" in (gemini.reason or "")
    assert len(load_cassette(project.cassette("gemini")).interactions) == 2


@pytest.mark.parametrize(
    ("provider", "first", "waits"),
    [
        ("openai", Reply(429, {"error": {"message": "Rate limit"}}, {"retry-after": "3"}), [3.0]),
        ("openai", Reply(500, {"error": {"message": "server error"}}), [0.5]),
        ("mistral", Reply(502, {"message": "bad gateway"}), [0.5]),
        ("openai", Reply(503, {"error": {"message": "overloaded"}}), [0.5]),
        ("openai", Reply(504, {"error": {"message": "timeout"}}), [0.5]),
        ("anthropic", Reply(529, {"type": "error", "error": {"type": "overloaded_error", "message": "x"}}), [0.5]),
        ("anthropic", RESET, [0.5]),
    ],
    ids=["429-retry-after", "500", "502", "503", "504", "anthropic-529", "connection-reset"],
)
def test_a_transient_answer_is_retried_and_not_recorded(project, stand_in, entry, provider, first, waits):
    reject_extra(stand_in)
    stand_in.behaviour[provider].queue = [first]
    live = Live(project, stand_in, backoff_seconds=0.5)
    result = live.run(entry, provider)
    assert result.status == "holds", result.reason
    assert live.slept == waits
    assert len(stand_in.requests_of(provider)) == 3  # the first probe twice, the second once
    statuses = [i.status for i in load_cassette(project.cassette(provider)).interactions]
    assert statuses == [400, 200]  # the retried answer is the evidence, not the 5xx
    assert [p.interaction for p in result.probes] == [0, 1]  # positions in the cassette as saved


def record_once(project: Project, stand_in: StandIn, entry: CatalogEntry, provider: str) -> bytes:
    reject_extra(stand_in)
    assert Live(project, stand_in).run(entry, provider).status == "holds"
    return project.cassette(provider).read_bytes()


def test_a_persistent_transient_is_inconclusive_and_keeps_the_cassette(project, stand_in, entry):
    before = record_once(project, stand_in, entry, "openai")
    busy = Reply(429, {"error": {"message": "Rate limit reached"}}, {"retry-after": "3600"})
    stand_in.behaviour["openai"].queue = [busy] * 10
    live = Live(project, stand_in, max_attempts=3, max_wait_seconds=2.0, transient_limit=10)
    result = live.run(entry, "openai")
    assert result.status == "inconclusive"
    assert "HTTP 429 stayed transient Rate limit reached" in (result.reason or "")
    assert "(cassette kept as it was)" in (result.reason or "")
    assert live.slept == [2.0, 2.0, 2.0, 2.0]  # retry-after honoured up to the bound, 3 attempts per probe
    assert project.cassette("openai").read_bytes() == before
    assert [p.interaction for p in result.probes] == [None, None]  # nothing was kept to point at


def test_three_transient_answers_in_a_row_stop_the_provider(project, stand_in, entry):
    before = record_once(project, stand_in, entry, "openai")
    sent_before = len(stand_in.requests_of("openai"))
    stand_in.behaviour["openai"].always = Reply(503, {"error": {"message": "overloaded"}})
    live = Live(project, stand_in, backoff_seconds=0.5)
    result = live.run(entry, "openai")
    assert result.status == "inconclusive"
    assert [p.reason for p in result.probes] == [
        "HTTP 503 stayed transient overloaded",
        "openai: 503 on 3 requests in a row",
    ]
    assert live.slept == [0.5, 1.0]  # the third 503 in a row stops openai before a 4th attempt
    assert len(stand_in.requests_of("openai")) == sent_before + 3
    again = live.run(entry, "openai")  # the provider's next cell is not sent at all
    assert (again.status, again.reason) == ("inconclusive", "not sent: openai: 503 on 3 requests in a row")
    assert again.probes == [] and again.evidence == "recorded"  # still says what the kept cassette is
    assert len(stand_in.requests_of("openai")) == sent_before + 3
    assert project.cassette("openai").read_bytes() == before
    assert live.run(entry, "anthropic").status == "holds"  # other providers go on


def test_an_answer_between_transients_starts_the_count_again(project, stand_in, entry):
    reject_extra(stand_in)
    busy = Reply(503, {"error": {"message": "overloaded"}})
    stand_in.behaviour["openai"].queue = [busy, busy, Reply(400, {"error": {"message": "'extra' unknown"}}), busy, busy]
    live = Live(project, stand_in)
    result = live.run(entry, "openai")
    assert result.status == "holds", result.reason  # 2 + 2 transient answers, never 3 in a row
    assert live.state.breakers.stopped("openai") is None


def test_the_budget_stops_a_provider_between_cells(project, stand_in, entry):
    reject_extra(stand_in)
    now = [100.0]
    live = Live(project, stand_in, budget_seconds=60, clock=lambda: now[0])
    assert live.run(entry, "openai").status == "holds"
    now[0] += 61
    result = live.run(entry, "openai")
    line = "openai: its 60 s budget (--quirks-provider-budget) ran out"
    assert (result.status, result.reason) == ("inconclusive", f"not sent: {line}")
    assert len(stand_in.requests_of("openai")) == 2
    assert live.run(entry, "anthropic").status == "holds"  # each provider has a budget of its own


def test_a_retry_that_would_wait_past_the_budget_is_not_waited_for(project, stand_in, entry):
    before = record_once(project, stand_in, entry, "openai")
    stand_in.behaviour["openai"].queue = [Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "20"})]
    live = Live(project, stand_in, budget_seconds=10)
    result = live.run(entry, "openai")
    assert result.status == "inconclusive"
    assert result.probes[1].reason == "openai: its 10 s budget (--quirks-provider-budget) ran out"
    assert live.slept == []
    assert project.cassette("openai").read_bytes() == before


def test_a_timeout_is_transient_and_stops_the_provider_at_once(project, stand_in, entry):
    before = record_once(project, stand_in, entry, "anthropic")
    sent_before = len(stand_in.requests_of("anthropic"))
    stand_in.behaviour["anthropic"].delay = 1.0
    live = Live(project, stand_in, max_attempts=2, timeout_seconds=0.2)
    result = live.run(entry, "anthropic")
    assert result.status == "inconclusive"
    assert "no answer stayed transient ReadTimeout" in (result.reason or "")
    assert "anthropic: no answer within 0.2 s (--quirks-timeout)" in (result.reason or "")
    assert len(stand_in.requests_of("anthropic")) == sent_before + 1  # not retried, second probe not sent
    assert live.slept == []
    assert project.cassette("anthropic").read_bytes() == before


@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_key_is_inconclusive_never_drift(project, stand_in, entry, status):
    before = record_once(project, stand_in, entry, "openai")
    if status == 401:
        stand_in.behaviour["openai"].key = "sk-the-right-key-0000"  # answered with the key echoed
    else:
        forbidden = Reply(403, {"error": {"message": "Project does not have access", "type": "invalid_request_error"}})
        stand_in.behaviour["openai"].queue = [forbidden] * 2
    result = Live(project, stand_in).run(entry, "openai")
    assert result.status == "inconclusive"
    assert f"HTTP {status}: check your key (OPENAI_API_KEY)" in (result.reason or "")
    assert project.cassette("openai").read_bytes() == before
    # The 401 echoed the key ("Incorrect API key provided: sk-…"); the results file is uploaded by CI.
    assert KEYS["openai"] not in json.dumps(result.to_json())
    assert len(stand_in.requests_of("openai")) == 2 + 2  # not retried: a 401 will not go away


def test_a_base_url_where_nothing_answers_stops_that_provider(project, stand_in, entry, unused_port):
    before = record_once(project, stand_in, entry, "openai")
    url = f"http://127.0.0.1:{unused_port}/v1"
    live = Live(project, stand_in, environ={"OPENAI_BASE_URL": url}, backoff_seconds=0.1)
    with pytest.raises(ProviderUnreachable) as raised:
        live.run(entry, "openai")
    line = str(raised.value)
    assert "\n" not in line
    assert f"openai: nothing answers at {url} after 4 attempt(s)" in line
    assert "Connection refused" in line and "check OPENAI_BASE_URL" in line
    assert live.slept == [0.1, 0.2, 0.4]
    assert raised.value.result is not None and raised.value.result.status == "inconclusive"
    assert project.cassette("openai").read_bytes() == before
    with pytest.raises(ProviderUnreachable):  # the next cell of that provider fails at once
        live.run(entry, "openai")
    assert live.slept == [0.1, 0.2, 0.4]


def test_an_interrupted_cell_leaves_the_old_cassette(project, stand_in, entry, monkeypatch):
    before = record_once(project, stand_in, entry, "openai")
    stand_in.behaviour["openai"].rejected = set()  # the new recording would differ
    real = sending._send_once
    sent: list[object] = []

    def interrupted_on_second_probe(*args: Any) -> Any:
        if sent:
            raise KeyboardInterrupt
        sent.append(args)
        return real(*args)

    monkeypatch.setattr(sending, "_send_once", interrupted_on_second_probe)
    with pytest.raises(KeyboardInterrupt):
        Live(project, stand_in).run(entry, "openai")
    assert project.cassette("openai").read_bytes() == before  # not the first probe's new answer alone
    assert leftovers(project) == []


def test_an_interrupted_write_leaves_the_old_cassette(project, stand_in, entry, monkeypatch):
    before = record_once(project, stand_in, entry, "openai")
    stand_in.behaviour["openai"].rejected = set()

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("provider_quirks.cassette.os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Live(project, stand_in).run(entry, "openai")
    assert project.cassette("openai").read_bytes() == before
    assert leftovers(project) == []


def leftovers(project: Project) -> list[Path]:
    return sorted(p for p in (project.root / "cassettes").rglob("*") if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("1.5", 1.5), ("-3", 0.0), ("soon", None), ("", None)],
)
def test_retry_after_in_seconds(header, seconds):
    assert sending._retry_after(header) == seconds


def test_retry_after_as_an_http_date():
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30)
    waited = sending._retry_after(email.utils.format_datetime(when, usegmt=True))
    assert waited is not None and 25 <= waited <= 30


def test_one_base_url_for_several_servers_is_not_recorded_as_each_of_them(tmp_path, unused_port):
    """OPENAI_COMPATIBLE_BASE_URL names one server: recording every server variant from it would mislabel them."""
    repo = Path(__file__).resolve().parents[2]
    entry = load_entry(repo / "quirks" / "null_values.py")
    vllm = resolve_target("openai_compatible@vllm")
    environ = {"OPENAI_COMPATIBLE_BASE_URL": f"http://127.0.0.1:{unused_port}/v1"}

    def settings(selected: frozenset[str] | None) -> RunSettings:
        return RunSettings(
            live=True, cassette_dir=tmp_path, root=tmp_path, environ=environ, selected=selected, sleep=lambda _: None
        )

    for selected in (
        None,
        frozenset({"openai_compatible"}),
        frozenset({"openai_compatible@vllm", "openai_compatible@llama-server"}),
    ):
        result = run_cell(entry, vllm, settings(selected))
        assert result.status == "skipped"
        assert "--target-base-url openai_compatible@vllm=URL" in (result.reason or "")
    with pytest.raises(ProviderUnreachable):  # selected alone: the run goes to that one server
        run_cell(entry, vllm, settings(frozenset({"openai_compatible@vllm", "mistral"})))
    assert not any(tmp_path.iterdir())
