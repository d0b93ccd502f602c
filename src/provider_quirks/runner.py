"""Run one cell (a quirk on one target): send its probes, observe, compare, decide the status.

Replay and live runs share this path; only the cassette mode differs (``sending`` sends, with
retries and the provider's breaker in a live run). Answers that stay transient, and 401/403,
make the cell ``inconclusive`` instead of drift: a scheduled job must not cry wolf because a
provider was busy or a key expired. Cell kinds other than REST register their own runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provider_quirks import __version__
from provider_quirks.breaker import breaker_name, not_sent
from provider_quirks.cassette import CassetteError, load_cassette
from provider_quirks.catalog import CatalogEntry, cassette_path
from provider_quirks.expectations import CellExpectation, ProbeExpectation
from provider_quirks.matching import mismatches
from provider_quirks.observation import Observation
from provider_quirks.quirk import Probe, Quirk
from provider_quirks.recording import CASSETTE_OPTIONS, AnswerLog, CellPersister, cell_vcr
from provider_quirks.results import CellResult, ProbeResult, Status
from provider_quirks.run_state import RunState
from provider_quirks.scrub import normalize_volatile, scrub_value
from provider_quirks.sending import ProviderUnreachable, base_url, send
from provider_quirks.settings import RunSettings
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable

AUTH_STATUSES = frozenset({401, 403})


CellRunner = Callable[[CatalogEntry, Target, RunSettings, RunState], CellResult]
#: How the cells of each kind of quirk run. REST quirks run here; an optional layer registers its
#: own kind when it is imported (``provider_quirks.sdk``), so the core never imports the layer, and
#: a quirk of that kind cannot exist before its layer is imported (its class lives there).
_CELL_RUNNERS: dict[type[Quirk], CellRunner] = {}


def register_cell_runner(kind: type[Quirk], runner: CellRunner) -> None:
    _CELL_RUNNERS[kind] = runner


def run_cell(entry: CatalogEntry, target: Target, settings: RunSettings, state: RunState | None = None) -> CellResult:
    """Run one cell with the runner of its quirk's kind (the closest registered class).

    A live run passes the state it keeps across cells; without one, the cell starts from a fresh state.
    """
    kind = next(k for k in type(entry.quirk).__mro__ if k in _CELL_RUNNERS)
    return _CELL_RUNNERS[kind](entry, target, settings, state or RunState.for_run(settings))


def run_rest_cell(entry: CatalogEntry, target: Target, settings: RunSettings, state: RunState) -> CellResult:
    """A REST cell: send (or replay) each probe's exact request and compare the observations."""
    expectation = entry.cell(target)
    path = cassette_path(settings.cassette_dir, entry.quirk.id, target)
    result = new_result(entry, target, path, settings)
    if expectation.status == "n/a":
        return with_status(result, "n/a", expectation.reason)
    unsendable = _no_probe_applies(entry.quirk, target)
    if unsendable is not None:
        return with_status(result, "n/a", unsendable)
    if settings.live:
        skip = _live_skip_reason(target, settings, state)
        return (
            with_status(result, "skipped", skip)
            if skip
            else _run_live(RestCell(entry, target, expectation, path, settings, state), result)
        )
    if expectation.status == "pending":
        return with_status(result, "pending", expectation.reason)
    if not path.is_file():
        return with_status(result, "pending", f"no cassette yet at {result.cassette}")
    return _run_probes(RestCell(entry, target, expectation, path, settings, state), result)


register_cell_runner(Quirk, run_rest_cell)


def _no_probe_applies(quirk: Quirk, target: Target) -> str | None:
    """Why no probe of the quirk can be sent to this target (its API has no such request), if none can."""
    built = [probe.build(target) for probe in quirk.probes]
    reasons = [b.reason for b in built if isinstance(b, NotApplicable)]
    return "; ".join(dict.fromkeys(reasons)) if len(reasons) == len(built) else None


@dataclass(frozen=True)
class RestCell:
    """One REST cell being run: its quirk, target and expectation, its cassette, and the run around it."""

    entry: CatalogEntry
    target: Target
    expectation: CellExpectation
    path: Path
    settings: RunSettings
    state: RunState


def _run_live(cell: RestCell, result: CellResult) -> CellResult:
    """Record one cell, unless its provider was stopped. The result is scrubbed like a cassette: CI uploads both."""
    target, path, state = cell.target, cell.path, cell.state
    line = state.unreachable.get(breaker_name(target))
    stopped = state.breakers.stopped(breaker_name(target))
    if line is None and stopped is not None:
        attach_evidence(result, path, cell.expectation)
        return with_status(result, "inconclusive", not_sent(stopped))
    if line is None:
        try:
            recorded = _run_probes(cell, result)
        except ProviderUnreachable as error:
            line = str(error)
        else:
            return CellResult.from_json(scrub_value(recorded.to_json(), state.secrets(cell.settings)))
    result.probes = []
    attach_evidence(result, path, cell.expectation)
    raise ProviderUnreachable(line, with_status(result, "inconclusive", f"{line} (cassette kept as it was)"))


def new_result(entry: CatalogEntry, target: Target, path: Path, settings: RunSettings) -> CellResult:
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


def _live_skip_reason(target: Target, settings: RunSettings, state: RunState) -> str | None:
    provider = target.provider
    if provider.key_required and not provider.api_key(settings.environ):
        return f"no key: set {provider.key_env} to record {provider.title}"
    overridden = state.base_url_override(target, settings) is not None
    if not overridden and not (settings.environ.get(provider.base_url_env) or provider.default_base_url):
        return f"no server: set {provider.base_url_env} or --target-base-url {target.id}=URL (see README)"
    if provider.one_server_per_variant and not overridden and not _alone(target, settings):
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


def _run_probes(cell: RestCell, result: CellResult) -> CellResult:
    target, settings, state = cell.target, cell.settings, cell.state
    persister = CellPersister(live=settings.live, metadata=_recorded_metadata(target, settings, state))
    rebase = (base_url(target, settings, state), target.provider.canonical_base_url) if settings.live else None
    recorder = cell_vcr(persister, state.secrets(settings), rebase)
    with recorder.use_cassette(str(cell.path), **CASSETTE_OPTIONS) as cassette:
        answers = AnswerLog(cassette, settings.live)
        answered: list[int | None] = []
        for probe in cell.entry.quirk.probes:
            answers.start()
            result.probes.append(_run_probe(probe, target, cell.expectation, settings, state))
            answered.append(answers.answered())
        # Only a whole cell is written; an exception above (Ctrl-C, unreachable) leaves the old file.
        persister.complete = all(p.status != "inconclusive" for p in result.probes)
        if persister.complete or not settings.live:
            for probe_result, index in zip(result.probes, answered, strict=True):
                probe_result.interaction = answers.saved(index)
    kept = "" if persister.complete or not settings.live else " (cassette kept as it was)"
    conclude(result, cell.expectation, kept=kept)
    unreviewed = sum(1 for p in result.probes if p.status == "pending" and p.observed)
    if settings.live and persister.complete and unreviewed:
        note = f"{unreviewed} probe(s) recorded without expectation: review the cassette and write one"
        result.reason = f"{result.reason}; {note}" if result.reason else note
    attach_evidence(result, cell.path, cell.expectation)
    result.tokens = _tokens(result.probes)
    return result


def _recorded_metadata(target: Target, settings: RunSettings, state: RunState) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "level": "recorded",
        "recorded_at": dt.date.today().isoformat(),
        "suite_version": __version__,
        "model": target.variant.model,
    }
    server = state.server_version(target, settings)
    if server is not None:
        evidence["server"] = server
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


def _run_probe(
    probe: Probe, target: Target, cell: CellExpectation, settings: RunSettings, state: RunState
) -> ProbeResult:
    built = probe.build(target)
    expected = cell.probes.get(probe.id) or ProbeExpectation(probe.id, "pending", reason="no expectation yet")
    result = ProbeResult(probe=probe.id, workaround=probe.shows_workaround, status="pending", reason=expected.reason)
    if isinstance(built, NotApplicable):
        result.status, result.reason = "n/a", built.reason
        return result
    result.request = built.to_json()
    if expected.status == "n/a":
        result.status = "n/a"
        return result
    if expected.status == "pending" and not settings.live:
        return result
    stopped = state.breakers.stopped(breaker_name(target)) if settings.live else None
    if stopped is not None:  # the provider stopped during this cell: the rest of it is not sent
        result.status, result.reason = "inconclusive", stopped
        return result
    observation = send(built, target, settings, state)
    result.observed = observation.to_json()
    expect = expected.expect or {}
    if expected.status == "checked":
        result.since = expected.since.isoformat() if expected.since else None
        result.expected = expected.expect
    unusable = _unusable(observation, expect, target)
    if unusable:
        # Also for a probe without expectation: a 503 or a 401 must not be recorded as its answer.
        result.status, result.reason = "inconclusive", unusable
    elif expected.status == "checked":
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
