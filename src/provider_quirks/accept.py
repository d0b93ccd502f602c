"""Accept a reviewed run: rewrite the expectations of drifted probes to what was observed.

Only probes whose status is ``drift`` in the results file move; every other byte of the
expectation files stays (they are kept in canonical form, see ``expectations``). An accepted
probe gets ``since: <today>``, its cell takes the evidence level of the cassette the run wrote
(``recorded`` after a live run), and its ``expect`` is a partial observation built by one rule:

1. what the answer is: ``outcome`` and ``status``; for an error, ``error.type`` and
   ``error.param`` when the provider names them (else ``error.message``); for an accepted
   answer, ``choices`` and ``finish_reason`` when present (a cap-dependent one, such as
   ``stop``/``length``, as its pair: a re-record may get either), and the names of its tool calls.
   Generated text, tool arguments and token counts are never written: they change between two
   runs of an unchanged provider.
2. every key the previous expectation stated stays stated, with the observed value (an
   operator such as ``$contains`` is kept as it was when it still holds on the new answer; a
   token count becomes ``$gte: 1``, a cap-dependent finish reason its pair), so
   the new expectation checks at least what the old one did.

The result is checked against the observation before anything is written.

With ``unreviewed=True`` it also adopts first recordings: probes a live run recorded while their
cell (or probe) had no expectation yet, e.g. a new target. There is no previous expectation, so
rule 2 takes the shape of the same probe's expectation on another target (same provider first,
then same dialect): the new cell checks the keys that the quirk checks everywhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from provider_quirks.cassette import write_atomically
from provider_quirks.catalog import CatalogEntry
from provider_quirks.expectations import EVIDENCE_LEVELS, CellExpectation, ProbeExpectation, dump_expectations
from provider_quirks.matching import mismatches
from provider_quirks.observed_fields import is_operator
from provider_quirks.results import CellResult, ProbeResult, Results
from provider_quirks.targets import Target, resolve_target


class AcceptError(Exception):
    """Results that cannot be accepted into this catalog: one line."""


@dataclass(frozen=True)
class Accepted:
    path: Path
    quirk: str
    target: str
    probe: str
    old: Mapping[str, Any] | None
    old_since: dt.date | None
    new: Mapping[str, Any]
    since: dt.date
    evidence: str


@dataclass(frozen=True)
class Skipped:
    quirk: str
    target: str
    probe: str
    reason: str


def _carry(expected: Any, observed: Any) -> Any:
    """The old expectation's shape, filled with the observed values."""
    if is_operator(expected):
        return expected if not mismatches(expected, observed) else observed
    if isinstance(expected, Mapping) and isinstance(observed, Mapping):
        return {key: _carry(value, observed.get(key)) for key, value in expected.items()}
    return observed


def _merge(base: dict[str, Any], carried: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in carried.items():
        if isinstance(merged.get(key), dict) and isinstance(value, Mapping) and not is_operator(value):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


#: Finish reasons that say "ended by itself" or "ended at the cap", per API: which one a re-record
#: gets depends on the cap and the sampled text, so an accepted expectation allows both.
CAP_DEPENDENT_FINISH: tuple[tuple[str, str], ...] = (
    ("stop", "length"),
    ("end_turn", "max_tokens"),
    ("STOP", "MAX_TOKENS"),
    ("completed", "incomplete"),
)


def finish_reason_expectation(value: Any) -> Any:
    """A cap-dependent finish reason as the pair of its API (``$regex``); any other one as it is."""
    pair = next((pair for pair in CAP_DEPENDENT_FINISH if value in pair), None)
    return {"$regex": f"^({pair[0]}|{pair[1]})$"} if pair else value


def partial_expectation(
    observed: Mapping[str, Any], previous: Mapping[str, Any] | None, pinned: Collection[str] = ()
) -> dict[str, Any]:
    """The rule in the module docstring; ``pinned`` are the quirk's fields whose sample value is the quirk."""
    base: dict[str, Any] = {"outcome": observed.get("outcome")}
    if observed.get("status") is not None:
        base["status"] = observed["status"]
    error = observed.get("error") or {}
    stated = {key: error[key] for key in ("type", "param") if error.get(key) is not None}
    if not stated and error.get("message"):
        stated = {"message": error["message"]}  # an untyped error is told apart by its message only
    if stated:
        base["error"] = stated
    if observed.get("outcome") == "accepted":
        base.update({key: observed[key] for key in ("choices", "finish_reason") if observed.get(key) is not None})
        calls = observed.get("tool_calls") or []
        if calls:
            base["tool_calls"] = [{"name": call.get("name")} for call in calls]
    carried = _carry(previous, observed) if isinstance(previous, Mapping) else {}
    expect = _merge(base, carried)
    if "finish_reason" not in pinned and isinstance(expect.get("finish_reason"), str):
        expect["finish_reason"] = finish_reason_expectation(expect["finish_reason"])
    if "usage" not in pinned and isinstance(expect.get("usage"), Mapping):
        # Token counts carried from another target's expectation: a relation, never this sample's count.
        expect["usage"] = {
            key: {"$gte": 1} if isinstance(value, int) and value >= 1 else value
            for key, value in expect["usage"].items()
        }
    found = mismatches(expect, observed)
    if found:
        raise AcceptError(f"the accepted expectation would not match its own observation: {found[0]}")
    return expect


def _unreviewed(probe: ProbeResult) -> bool:
    return probe.status == "pending" and probe.observed is not None and probe.expected is None


def _selected(cell: CellResult, quirk: str | None, provider: str | None, unreviewed: bool) -> bool:
    if quirk not in (None, cell.quirk) or provider not in (None, cell.provider):
        return False
    if cell.status == "drift":
        return True
    return unreviewed and cell.evidence == "recorded" and any(_unreviewed(probe) for probe in cell.probes)


def _template(entry: CatalogEntry, target_id: str, probe: str) -> Mapping[str, Any] | None:
    """The same probe's expectation on the most similar other target, for a first recording."""
    target = resolve_target(target_id)

    def closeness(other: Target) -> tuple[bool, bool]:
        return (other.provider.name != target.provider.name, other.provider.dialect != target.provider.dialect)

    for other in sorted((t for t in entry.targets() if t.id != target_id), key=closeness):
        cell = entry.cell(other)
        expectation = cell.probes.get(probe) if cell.status == "checked" else None
        if expectation is not None and expectation.status == "checked":
            return expectation.expect
    return None


def unknown_names(results: Results, by_quirk: Mapping[str, CatalogEntry]) -> list[str]:
    """Each quirk, target or probe of the results that the catalog does not have, one line each."""
    found = []
    for cell in results.cells:
        entry = by_quirk.get(cell.quirk)
        if entry is None:
            found.append(f"quirk {cell.quirk!r} is not in the catalog (quirks: {', '.join(by_quirk)})")
            continue
        targets = entry.quirk.targets
        if cell.target not in targets:
            found.append(f"{cell.quirk}[{cell.target}]: not a target of the quirk (targets: {', '.join(targets)})")
            continue
        probe_ids = [probe.id for probe in entry.quirk.probes]
        for probe in (p for p in cell.probes if p.probe not in probe_ids):
            found.append(f"{cell.quirk}[{cell.target}]: no probe {probe.probe!r} (probes: {', '.join(probe_ids)})")
    return found


def accept(
    results: Results,
    entries: Sequence[CatalogEntry],
    today: dt.date,
    quirk: str | None = None,
    provider: str | None = None,
    unreviewed: bool = False,
) -> tuple[list[Accepted], list[Skipped]]:
    """Rewrite the expectation files for the selected cells; return what moved and what did not."""
    by_quirk = {entry.quirk.id: entry for entry in entries}
    unknown = unknown_names(results, by_quirk)
    if unknown:
        raise AcceptError("\n".join(unknown))
    accepted: list[Accepted] = []
    skipped: list[Skipped] = []
    for entry in entries:
        cells = dict(entry.expectations.cells)
        for result in (
            c for c in results.cells if c.quirk == entry.quirk.id and _selected(c, quirk, provider, unreviewed)
        ):
            if result.target not in cells:  # a target the file does not list yet: pending until now
                cells[result.target] = entry.cell(resolve_target(result.target))
            if result.status == "pending" and cells[result.target].status == "pending":
                cells[result.target] = CellExpectation(result.target, "checked", evidence="recorded")
            if cells[result.target].status != "checked":
                raise AcceptError(f"{entry.expectations.path}: {result.quirk}[{result.target}] has no expectations")
            if result.evidence not in EVIDENCE_LEVELS:
                raise AcceptError(
                    f"{result.quirk}[{result.target}]: drifted without a cassette (evidence {result.evidence})"
                )
            cells[result.target] = _accept_cell(entry, cells[result.target], result, today, accepted, skipped)
        if cells != entry.expectations.cells:
            write_atomically(entry.expectations.path, dump_expectations(replace(entry.expectations, cells=cells)))
    return accepted, skipped


def _accept_cell(
    entry: CatalogEntry,
    cell: CellExpectation,
    result: CellResult,
    today: dt.date,
    accepted: list[Accepted],
    skipped: list[Skipped],
) -> CellExpectation:
    probes = dict(cell.probes)
    for probe in result.probes:
        if probe.observed is None:
            continue
        current = probes.get(probe.probe)
        if current is None and _unreviewed(probe):
            shape = _template(entry, result.target, probe.probe)
        elif probe.status != "drift":
            continue
        elif current is None or current.status != "checked" or dict(current.expect or {}) != probe.expected:
            skipped.append(Skipped(result.quirk, result.target, probe.probe, "the expectation changed since this run"))
            continue
        else:
            shape = current.expect
        new = partial_expectation(probe.observed, shape, entry.quirk.pinned)
        probes[probe.probe] = ProbeExpectation(probe.probe, "checked", expect=new, since=today)
        accepted.append(
            Accepted(
                path=entry.expectations.path,
                quirk=result.quirk,
                target=result.target,
                probe=probe.probe,
                old=current.expect if current else None,
                old_since=current.since if current else None,
                new=new,
                since=today,
                evidence=result.evidence,
            )
        )
    if probes == cell.probes:
        return cell
    return replace(cell, probes=probes, evidence=result.evidence)  # type: ignore[arg-type]
