"""Run one cell (a quirk on one target): send its probes, observe, compare, decide the status.

Replay and live runs share this path; only the cassette mode differs. Live runs retry
transient answers (429, 5xx, 529, reset connections, bodies cut short, a 200 that is not JSON)
with bounded backoff, honouring ``retry-after`` up to a cap, and turn answers that stay
transient, and 401/403, into ``inconclusive`` instead of drift: a scheduled job must not cry
wolf because a provider was busy or a key expired. A provider that stays down, hangs or runs
past its budget is stopped for the rest of the run (``breaker``), so an outage costs seconds,
not hours. A base URL where nothing answers at all is a setting to fix, not a provider state:
the run stops for that provider with one line (``ProviderUnreachable``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import requests
import urllib3.exceptions
from vcr.errors import CannotOverwriteExistingCassetteException

from provider_quirks import __version__
from provider_quirks.breaker import Breakers, breaker_name, not_sent
from provider_quirks.cassette import CassetteError, load_cassette
from provider_quirks.catalog import Entry, cassette_path
from provider_quirks.expectations import CellExpectation, ProbeExpectation
from provider_quirks.matching import mismatches
from provider_quirks.observation import ErrorInfo, Observation, Reading
from provider_quirks.observe import is_stream, no_http_answer, observe
from provider_quirks.providers import PROVIDERS, ConfigurationError
from provider_quirks.quirk import Probe, Quirk
from provider_quirks.recording import CASSETTE_OPTIONS, CellPersister, cell_vcr
from provider_quirks.results import CellResult, ProbeResult, Status
from provider_quirks.scrub import normalize_volatile, scrub_text, scrub_value
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable, WireRequest

AUTH_STATUSES = frozenset({401, 403})


class MissingInteraction(Exception):
    """The cassette exists but holds no answer to one probe: the catalog is inconsistent."""


class ProviderUnreachable(ConfigurationError):
    """Nothing answered at the provider's base URL (refused, unknown host, connect timeout).

    Carries the cell's ``inconclusive`` result so that the results file still lists the cell.
    """

    def __init__(self, line: str, result: CellResult | None = None) -> None:
        super().__init__(line)
        self.result = result


@dataclass
class RunSettings:
    """One run's settings, and the live run's state per provider (its breaker, a base URL where nothing answers).

    The state is per process: see ``breaker`` for why that is enough under xdist.
    """

    live: bool
    cassette_dir: Path
    root: Path
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    base_urls: dict[str, str] = field(default_factory=dict)
    server_versions: dict[str, str] = field(default_factory=dict)
    #: Attempts at one probe; a provider's breaker (``transient_limit``) may stop it sooner.
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    #: The cap on one wait, ``retry-after`` included.
    max_wait_seconds: float = 30.0
    #: ``--quirks-timeout``: for the connection and for each read of the answer.
    timeout_seconds: float = 30.0
    #: Transient answers in a row that stop a provider for the rest of the run.
    transient_limit: int = 3
    #: ``--quirks-provider-budget``: wall-clock seconds a provider may take, from its first request.
    budget_seconds: float = 240.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    #: What ``--providers`` selected (provider names and target ids); None: everything.
    selected: frozenset[str] | None = None
    #: breaker name -> the line said when nothing answered at its base URL; later cells fail at once.
    dead_base_urls: dict[str, str] = field(default_factory=dict)
    breakers: Breakers = field(init=False)

    def __post_init__(self) -> None:
        self.breakers = Breakers(self.transient_limit, self.budget_seconds, self.clock)

    def secrets(self) -> list[str]:
        return [value for p in PROVIDERS.values() if (value := self.environ.get(p.key_env))]


CellRunner = Callable[[Entry, Target, RunSettings], CellResult]
#: How the cells of each kind of quirk run. REST quirks run here; an optional layer registers its
#: own kind when it is imported (``provider_quirks.sdk``), so the core never imports the layer, and
#: a quirk of that kind cannot exist before its layer is imported (its class lives there).
_CELL_RUNNERS: dict[type[Quirk], CellRunner] = {}


def register_cell_runner(kind: type[Quirk], runner: CellRunner) -> None:
    _CELL_RUNNERS[kind] = runner


def run_cell(entry: Entry, target: Target, settings: RunSettings) -> CellResult:
    """Run one cell with the runner of its quirk's kind (the closest registered class)."""
    kind = next(k for k in type(entry.quirk).__mro__ if k in _CELL_RUNNERS)
    return _CELL_RUNNERS[kind](entry, target, settings)


def run_rest_cell(entry: Entry, target: Target, settings: RunSettings) -> CellResult:
    """A REST cell: send (or replay) each probe's exact request and compare the observations."""
    expectation = entry.cell(target)
    path = cassette_path(settings.cassette_dir, entry.quirk.id, target)
    result = new_result(entry, target, path, settings)
    if expectation.state == "n/a":
        return with_status(result, "n/a", expectation.reason)
    if settings.live:
        skip = _live_skip_reason(target, settings)
        return (
            with_status(result, "skipped", skip)
            if skip
            else _run_live(entry, target, expectation, path, settings, result)
        )
    if expectation.state == "pending":
        return with_status(result, "pending", expectation.reason)
    if not path.is_file():
        return with_status(result, "pending", f"no cassette yet at {result.cassette}")
    return _run_probes(entry, target, expectation, path, settings, result)


register_cell_runner(Quirk, run_rest_cell)


def _run_live(
    entry: Entry, target: Target, cell: CellExpectation, path: Path, settings: RunSettings, result: CellResult
) -> CellResult:
    """Record one cell, unless its provider was stopped. The result is scrubbed like a cassette: CI uploads both."""
    line = settings.dead_base_urls.get(breaker_name(target))
    stopped = settings.breakers.stopped(breaker_name(target))
    if line is None and stopped is not None:
        attach_evidence(result, path, cell)
        return with_status(result, "inconclusive", not_sent(stopped))
    if line is None:
        try:
            recorded = _run_probes(entry, target, cell, path, settings, result)
        except ProviderUnreachable as error:
            line = str(error)
        else:
            return CellResult.from_json(scrub_value(recorded.to_json(), settings.secrets()))
    result.probes = []
    attach_evidence(result, path, cell)
    raise ProviderUnreachable(line, with_status(result, "inconclusive", f"{line} (cassette kept as it was)"))


def new_result(entry: Entry, target: Target, path: Path, settings: RunSettings) -> CellResult:
    """A cell's result before any probe ran: pending, with the expectation's sources and the cassette's path."""
    return CellResult(
        quirk=entry.quirk.id,
        target=target.id,
        provider=target.provider.name,
        variant=target.variant.name,
        status="pending",
        sources=list(entry.cell(target).sources),
        cassette=_relative(path, settings.root),
    )


def conclude(result: CellResult, cell: CellExpectation, kept: str = "") -> None:
    """The cell's status from its probes': drift wins, then inconclusive, then holds; else pending."""
    statuses = {p.status for p in result.probes}
    if "drift" in statuses:
        mismatched = "; ".join(m for p in result.probes for m in p.mismatches)
        result.status, result.reason = "drift", mismatched + kept
    elif "inconclusive" in statuses:
        reasons = [p.reason for p in result.probes if p.status == "inconclusive" and p.reason]
        result.status, result.reason = "inconclusive", "; ".join(reasons) + kept
    elif "holds" in statuses:
        pending = sum(1 for p in result.probes if p.status == "pending")
        result.status = "holds"
        result.reason = f"{pending} probe(s) pending" if pending else None
    else:
        result.status, result.reason = "pending", cell.reason or "no probe has an expectation yet"


def with_status(result: CellResult, status: Status, reason: str | None) -> CellResult:
    result.status = status
    result.reason = reason
    return result


def _relative(path: Path, root: Path) -> str:
    """Relative to the project; a cassette folder elsewhere names no folder of the recording machine."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return normalize_volatile(path.as_posix())  # `<tmp>/…`: results files are compared across machines


def _live_skip_reason(target: Target, settings: RunSettings) -> str | None:
    provider = target.provider
    if provider.key_required and not provider.api_key(settings.environ):
        return f"no key: set {provider.key_env} to record {provider.title}"
    if target.id not in settings.base_urls and not (
        settings.environ.get(provider.base_url_env) or provider.default_base_url
    ):
        return f"no server: set {provider.base_url_env} or --target-base-url {target.id}=URL (see README)"
    if provider.one_server_per_variant and target.id not in settings.base_urls and not _alone(target, settings):
        return (
            f"{provider.base_url_env} names one server, but this run selects several {provider.name} targets: "
            f"pass --target-base-url {target.id}=URL, or select only this one with --providers {target.id}"
        )
    return None


def _alone(target: Target, settings: RunSettings) -> bool:
    """Whether the run selected this target and no other target of its provider."""
    selected = settings.selected or frozenset()
    same_provider = {name for name in selected if name.partition("@")[0] == target.provider.name}
    return same_provider == {target.id}


def _run_probes(
    entry: Entry, target: Target, cell: CellExpectation, path: Path, settings: RunSettings, result: CellResult
) -> CellResult:
    persister = CellPersister(live=settings.live, metadata=_recorded_metadata(target, settings))
    rebase = (_base_url(target, settings), target.provider.canonical_base_url) if settings.live else None
    recorder = cell_vcr(persister, settings.secrets(), rebase)
    with recorder.use_cassette(str(path), **CASSETTE_OPTIONS):
        for probe in entry.quirk.probes:
            result.probes.append(_run_probe(probe, target, cell, settings))
        # Only a whole cell is written; an exception above (Ctrl-C, unreachable) leaves the old file.
        persister.complete = all(p.status != "inconclusive" for p in result.probes)
    conclude(result, cell, kept="" if persister.complete or not settings.live else " (cassette kept as it was)")
    unreviewed = sum(1 for p in result.probes if p.status == "pending" and p.observed)
    if settings.live and persister.complete and unreviewed:
        note = f"{unreviewed} probe(s) recorded without expectation: review the cassette and write one"
        result.reason = f"{result.reason}; {note}" if result.reason else note
    attach_evidence(result, path, cell)
    result.tokens = _tokens(result.probes)
    return result


def _recorded_metadata(target: Target, settings: RunSettings) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "level": "recorded",
        "recorded_at": dt.date.today().isoformat(),
        "suite_version": __version__,
        "model": target.variant.model,
    }
    if target.id in settings.server_versions:
        evidence["server"] = settings.server_versions[target.id]
    return {"evidence": evidence}


def attach_evidence(result: CellResult, path: Path, cell: CellExpectation) -> None:
    if not path.is_file():
        return
    try:
        evidence = load_cassette(path).evidence
    except CassetteError:
        return
    result.evidence = str(evidence.get("level", "none"))
    recorded_at = evidence.get("recorded_at")
    result.recorded_at = str(recorded_at) if recorded_at else None
    cited = [str(s.get("url")) for s in evidence.get("sources") or [] if isinstance(s, Mapping) and s.get("url")]
    result.sources = list(dict.fromkeys([*cell.sources, *cited]))


def _tokens(probes: list[ProbeResult]) -> dict[str, int] | None:
    usages = [p.observed["usage"] for p in probes if p.observed and p.observed.get("usage")]
    if not usages:
        return None
    return {
        "input": sum(u.get("input_tokens") or 0 for u in usages),
        "output": sum(u.get("output_tokens") or 0 for u in usages),
    }


def _run_probe(probe: Probe, target: Target, cell: CellExpectation, settings: RunSettings) -> ProbeResult:
    built = probe.build(target)
    expected = cell.probes.get(probe.id) or ProbeExpectation(probe.id, "pending", reason="no expectation yet")
    result = ProbeResult(probe=probe.id, workaround=probe.workaround, status="pending", reason=expected.reason)
    if isinstance(built, NotApplicable):
        result.status, result.reason = "n/a", built.reason
        return result
    result.request = built.to_json()
    if expected.state == "n/a":
        result.status = "n/a"
        return result
    if expected.state == "pending" and not settings.live:
        return result
    stopped = settings.breakers.stopped(breaker_name(target)) if settings.live else None
    if stopped is not None:  # the provider stopped during this cell: the rest of it is not sent
        result.status, result.reason = "inconclusive", stopped
        return result
    observation = _send(built, target, settings)
    result.observed = observation.to_json()
    expect = expected.expect or {}
    if expected.state == "expect":
        result.since = expected.since.isoformat() if expected.since else None
        result.expected = expected.expect
    unusable = _unusable(observation, expect, target)
    if unusable:
        # Also for a probe without expectation: a 503 or a 401 must not be recorded as its answer.
        result.status, result.reason = "inconclusive", unusable
    elif expected.state == "expect":
        found = mismatches(expect, result.observed)
        result.mismatches = [f"{probe.id}: {m}" for m in found]
        result.status = "drift" if found else "holds"
    return result


def _unusable(observation: Observation, expect: Mapping[str, Any], target: Target) -> str | None:
    """Why an answer says nothing about the quirk (busy provider, bad key), unless the quirk is that."""
    if observation.outcome == "transient" and expect.get("outcome") != "transient":
        return _transient_reason(observation)
    if observation.status in AUTH_STATUSES and expect.get("status") not in AUTH_STATUSES:
        return f"HTTP {observation.status}: check your key ({target.provider.key_env})"
    return None


def _transient_reason(observation: Observation) -> str:
    detail = observation.error.message if observation.error and observation.error.message else ""
    status = f"HTTP {observation.status}" if observation.status else "no answer"
    return f"{status} stayed transient {detail[:120]}".strip()


@dataclass(frozen=True)
class Attempt:
    """One request as the retry loop sees it."""

    observation: Observation
    #: What was transient, in a word or two ("503", "connection reset"); None for any other answer.
    transient: str | None = None
    #: False when nothing answered at the base URL (refused, unknown host, connect timeout).
    connected: bool = True
    #: No answer, or no end of one, within the timeout.
    timed_out: bool = False


def _send(request: WireRequest, target: Target, settings: RunSettings) -> Observation:
    """Send with retries when live, while the provider's breaker allows; replay answers from the cassette, once."""
    if not settings.live:
        return _send_once(request, target, settings).observation
    name, breakers = breaker_name(target), settings.breakers
    for attempt in range(1, settings.max_attempts + 1):
        breakers.sending(name)
        sent = _send_once(request, target, settings)
        if sent.connected and sent.timed_out:
            breakers.stop(name, f"no answer within {settings.timeout_seconds:g} s (--quirks-timeout)")
        elif sent.connected:
            breakers.answered(name, sent.transient)
        if sent.transient is None or sent.timed_out or attempt == settings.max_attempts or breakers.stopped(name):
            break
        wait = _wait_seconds(sent.observation, attempt, settings)
        if not breakers.may_wait(name, wait):
            break
        settings.sleep(wait)
    if not sent.connected:
        raise _unreachable(target, settings, attempt, sent.observation)
    return sent.observation


def _unreachable(target: Target, settings: RunSettings, attempts: int, observation: Observation) -> ProviderUnreachable:
    """The one line for a base URL where nothing answers, remembered so the provider's next cells fail at once."""
    cause = observation.error.message if observation.error else "no answer"
    line = (
        f"{target.provider.name}: nothing answers at {_base_url(target, settings)} after {attempts} attempt(s) "
        f"({cause}); check {target.provider.base_url_env} or --target-base-url {target.id}=URL"
    )
    settings.dead_base_urls[breaker_name(target)] = scrub_text(line, settings.secrets())
    return ProviderUnreachable(settings.dead_base_urls[breaker_name(target)])


def _wait_seconds(observation: Observation, attempt: int, settings: RunSettings) -> float:
    """Before retry ``attempt + 1``: ``retry-after`` when given, else exponential backoff; capped either way."""
    delay = _retry_after(observation.headers.get("retry-after", ""))
    if delay is None:
        delay = settings.backoff_seconds * 2 ** (attempt - 1)
    return min(delay, settings.max_wait_seconds)


def _retry_after(value: str) -> float | None:
    """``retry-after`` in seconds, given as a number or as an HTTP date; ``None`` when absent or unreadable."""
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _base_url(target: Target, settings: RunSettings) -> str:
    """Live: the override for the target, else the provider's (from the environment); replay: the canonical one."""
    if not settings.live:
        return target.provider.canonical_base_url
    if target.id in settings.base_urls:
        return settings.base_urls[target.id].rstrip("/")
    return target.provider.base_url(settings.environ)


def _send_once(request: WireRequest, target: Target, settings: RunSettings) -> Attempt:
    """One request, observed."""
    provider = target.provider
    headers = {"content-type": "application/json", **dict(request.headers)}
    if settings.live:
        headers.update(provider.auth_headers(provider.api_key(settings.environ)))
    url = _base_url(target, settings) + request.path
    try:
        response = requests.request(
            request.method,
            url,
            params=list(request.query),
            data=request.body_bytes(),
            headers=headers,
            timeout=settings.timeout_seconds,
        )
    except CannotOverwriteExistingCassetteException as error:
        raise MissingInteraction(
            f"the cassette has no answer to this request ({request.method} {request.path}); "
            "re-record the cell or add the interaction"
        ) from error
    except requests.exceptions.RequestException as error:
        return Attempt(
            no_http_answer(provider, _error_line(error)),
            transient=_failure(error),
            connected=_connected(error),
            timed_out=isinstance(error, requests.exceptions.Timeout),
        )
    body = response.content
    if settings.live:  # observe what the cassette will keep, so that replay observes the same
        body = normalize_volatile(scrub_text(body.decode("utf-8", errors="replace"), settings.secrets())).encode()
    headers = dict(response.headers)
    observation = observe(provider, response.status_code, headers, body, url)
    if observation.outcome == "accepted" and _not_json(headers.get("content-type", ""), body, url):
        # A proxy's glitch, not the provider's answer: recorded, it would be read as one.
        message = f"a body that is not JSON: {body[:80].decode(errors='replace')}"
        broken = Reading(error=ErrorInfo("invalid-json", message, None))
        return Attempt(replace(observation, outcome="transient", reading=broken), "invalid JSON")
    transient = str(response.status_code) if observation.outcome == "transient" else None
    return Attempt(observation, transient)


def _not_json(content_type: str, body: bytes, url: str) -> bool:
    """Whether a body that says it is JSON (and is not a stream) does not parse."""
    media = content_type.split(";")[0].strip().lower()
    if is_stream(content_type, url) or not (media == "application/json" or media.endswith("+json")):
        return False
    try:
        json.loads(body)
    except ValueError:
        return True
    return False


def _connected(error: requests.exceptions.RequestException) -> bool:
    """False when no connection was made (refused, unknown host, connect timeout); True for a reset or a slow answer."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return False
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return not isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def _failure(error: requests.exceptions.RequestException) -> str:
    """What went wrong with the connection, in a word or two, for the breaker's line."""
    if isinstance(error, requests.exceptions.Timeout):
        return "timeout"
    causes = list(_causes(error))
    if any(isinstance(cause, ConnectionResetError) for cause in causes):
        return "connection reset"
    if any(isinstance(cause, (http.client.IncompleteRead, urllib3.exceptions.IncompleteRead)) for cause in causes):
        return "body cut short"
    return type(error).__name__


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and every exception it wraps (requests and urllib3 nest them in ``args``)."""
    yield error
    for arg in error.args:
        if isinstance(arg, BaseException):
            yield from _causes(arg)


def _error_line(error: requests.exceptions.RequestException) -> str:
    """The innermost cause in a few words: urllib3's messages repeat the pool and URL several times."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    cause = reason if isinstance(reason, BaseException) else list(_causes(error))[-1]
    text = str(cause).rsplit("): ", 1)[-1]
    return f"{type(error).__name__}: {text}"[:200]
