"""Run one cell (a quirk on one target): send its probes, observe, compare, decide the status.

Replay and live runs share this path; only the cassette mode differs. Live runs retry
transient answers (429, 5xx, 529, timeouts, reset connections) with bounded backoff, honouring
``retry-after``, and turn answers that stay transient, and 401/403, into ``inconclusive``
instead of drift: a scheduled job must not cry wolf because a provider was busy or a key
expired. A base URL where nothing answers at all is a setting to fix, not a provider state:
the run stops for that provider with one line (``ProviderUnreachable``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import urllib3.exceptions
from vcr.errors import CannotOverwriteExistingCassetteException

from provider_quirks import __version__
from provider_quirks.cassette import CassetteError, load_cassette
from provider_quirks.catalog import Entry
from provider_quirks.expectations import CellExpectation, ProbeExpectation
from provider_quirks.matching import mismatches
from provider_quirks.observation import Observation
from provider_quirks.observe import observe, unreachable
from provider_quirks.providers import PROVIDERS, ConfigurationError
from provider_quirks.quirk import Probe
from provider_quirks.recording import CASSETTE_OPTIONS, CellPersister, cell_vcr
from provider_quirks.results import CellResult, ProbeResult, Status
from provider_quirks.scrub import normalize_volatile, scrub_text, scrub_value
from provider_quirks.sdk.quirk import SdkQuirk
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
    live: bool
    cassette_dir: Path
    root: Path
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    base_urls: dict[str, str] = field(default_factory=dict)
    server_versions: dict[str, str] = field(default_factory=dict)
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 30.0
    timeout_seconds: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    #: What ``--providers`` selected (provider names and target ids); None: everything.
    selected: frozenset[str] | None = None
    #: provider name -> the line said when its base URL did not answer; later cells fail at once.
    unreachable: dict[str, str] = field(default_factory=dict)

    def secrets(self) -> list[str]:
        return [value for p in PROVIDERS.values() if (value := self.environ.get(p.key_env))]


def cassette_path(cassette_dir: Path, quirk_id: str, target: Target) -> Path:
    return cassette_dir / quirk_id / f"{target.id}.yaml"


def run_cell(entry: Entry, target: Target, settings: RunSettings) -> CellResult:
    if isinstance(entry.quirk, SdkQuirk):  # the same cell, run through an SDK client (provider_quirks.sdk)
        from provider_quirks.sdk.runner import run_sdk_cell

        return run_sdk_cell(entry, target, settings)
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


def _run_live(
    entry: Entry, target: Target, cell: CellExpectation, path: Path, settings: RunSettings, result: CellResult
) -> CellResult:
    """Record one cell. The result is scrubbed like a cassette: CI uploads both."""
    line = settings.unreachable.get(target.provider.name)
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
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


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


def _send(request: WireRequest, target: Target, settings: RunSettings) -> Observation:
    """Send with retries when live; replay answers from the cassette, once."""
    attempts = settings.max_attempts if settings.live else 1
    observation, connected = unreachable(target.provider, "not sent"), False
    for attempt in range(attempts):
        observation, connected = _send_once(request, target, settings)
        if observation.outcome != "transient" or attempt == attempts - 1:
            break
        settings.sleep(_wait_seconds(observation, attempt, settings))
    if settings.live and not connected:
        raise _unreachable(target, settings, attempts, observation)
    return observation


def _unreachable(target: Target, settings: RunSettings, attempts: int, observation: Observation) -> ProviderUnreachable:
    """The one line for a base URL where nothing answers, remembered so the provider's next cells fail at once."""
    cause = observation.error.message if observation.error else "no answer"
    line = (
        f"{target.provider.name}: nothing answers at {_base_url(target, settings)} after {attempts} attempt(s) "
        f"({cause}); check {target.provider.base_url_env} or --target-base-url {target.id}=URL"
    )
    settings.unreachable[target.provider.name] = scrub_text(line, settings.secrets())
    return ProviderUnreachable(settings.unreachable[target.provider.name])


def _wait_seconds(observation: Observation, attempt: int, settings: RunSettings) -> float:
    delay = _retry_after(observation.headers.get("retry-after", ""))
    if delay is None:
        delay = settings.backoff_seconds * 2**attempt
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


def _send_once(request: WireRequest, target: Target, settings: RunSettings) -> tuple[Observation, bool]:
    """One attempt: the observation, and whether a connection was made at all."""
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
        return unreachable(provider, _error_line(error)), _connected(error)
    body = response.content
    if settings.live:  # observe what the cassette will keep, so that replay observes the same
        body = normalize_volatile(scrub_text(body.decode("utf-8", errors="replace"), settings.secrets())).encode()
    return observe(provider, response.status_code, dict(response.headers), body, url), True


def _connected(error: requests.exceptions.RequestException) -> bool:
    """False when no connection was made (refused, unknown host, connect timeout); True for a reset or a slow answer."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return False
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return not isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def _error_line(error: requests.exceptions.RequestException) -> str:
    """The innermost cause in a few words: urllib3's messages repeat the pool and URL several times."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    cause = reason if isinstance(reason, BaseException) else error
    text = str(cause).rsplit("): ", 1)[-1]
    return f"{type(error).__name__}: {text}"[:200]
