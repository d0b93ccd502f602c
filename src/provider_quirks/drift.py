"""Compare two results files: which cells changed status or behaviour between two runs.

A cell counts as drifted when its status changed, or when a probe observed in both runs behaved
differently. Behaviour is the part of an observation that describes the provider, not the
sample: outcome, status, error type, field, code and message, finish reason, number of choices,
tool names and stream framing; the generated text, token counts and the number of stream events
vary between two live runs of an unchanged provider and are left out. A run that got no answer
(``inconclusive``: 429, 5xx, timeout, 401/403; ``skipped``: no key) is never drift, and a cell
present in only one file is a catalog change, not a provider's: both are listed, not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from provider_quirks.results import CellResult, Results

NO_ANSWER = frozenset({"inconclusive", "skipped"})
ChangeKind = Literal["status", "observation", "not compared", "added", "removed"]
COUNTED: frozenset[str] = frozenset({"status", "observation"})


@dataclass(frozen=True)
class Change:
    quirk: str
    target: str
    old_status: str | None
    new_status: str | None
    kind: ChangeKind
    details: tuple[str, ...] = ()

    @property
    def drifted(self) -> bool:
        return self.kind in COUNTED

    def to_json(self) -> dict[str, Any]:
        return {
            "quirk": self.quirk,
            "target": self.target,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "kind": self.kind,
            "drifted": self.drifted,
            "details": list(self.details),
        }


def behaviour(observed: Mapping[str, Any] | None) -> dict[str, Any]:
    """The provider-describing part of an observation, flattened to dotted keys."""
    if not observed:
        return {}
    error = observed.get("error") or {}
    stream = observed.get("stream") or {}
    facts: dict[str, Any] = {
        "outcome": observed.get("outcome"),
        "status": observed.get("status"),
        "finish_reason": observed.get("finish_reason"),
        "choices": observed.get("choices"),
        "tool_calls": sorted(str(call.get("name")) for call in observed.get("tool_calls") or []),
    }
    facts.update({f"error.{key}": error.get(key) for key in ("type", "param", "code", "message")})
    for key in ("done_sentinel", "usage_location", "line_endings"):
        facts[f"stream.{key}"] = stream.get(key)
    facts["stream.event_names"] = sorted(set(stream.get("event_names") or []))
    return facts


def probe_changes(old: CellResult, new: CellResult) -> list[str]:
    """``probe: key: old -> new`` for every probe observed in both runs whose behaviour differs."""
    before = {probe.probe: probe.observed for probe in old.probes if probe.observed}
    lines = []
    for probe in new.probes:
        if not probe.observed or probe.probe not in before:
            continue
        was, now = behaviour(before[probe.probe]), behaviour(probe.observed)
        lines += [
            f"{probe.probe}: {key}: {was.get(key)!r} -> {now.get(key)!r}" for key in now if was.get(key) != now.get(key)
        ]
    return lines


def compare(old: Results, new: Results) -> list[Change]:
    """Every changed cell, in (quirk, target) order."""
    before = {(cell.quirk, cell.target): cell for cell in old.cells}
    after = {(cell.quirk, cell.target): cell for cell in new.cells}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was is None or now is None:
            kind: ChangeKind = "added" if was is None else "removed"
            changes.append(Change(*key, was.status if was else None, now.status if now else None, kind))
            continue
        if was.status in NO_ANSWER or now.status in NO_ANSWER:
            if was.status != now.status:
                changes.append(Change(*key, was.status, now.status, "not compared"))
            continue
        details = tuple(probe_changes(was, now))
        if was.status != now.status:
            changes.append(Change(*key, was.status, now.status, "status", details))
        elif details:
            changes.append(Change(*key, was.status, now.status, "observation", details))
    return changes
