"""Compare two results files: which cells changed status or behaviour between two runs.

A cell counts as drifted when its status changed (the expectation no longer holds), or when a
probe observed in both runs answered differently in what a quirk is about: outcome, status, and
the error's type, field, code and message. Messages are compared with their volatile parts
normalised (paths, ids, numbers: a server's traceback names its own files, a limit message the
request's numbers). Everything else (text, token and event counts, finish reasons that depend on
the prompt or the cap, stream sizes) varies between two live runs of an unchanged provider; where
an expectation names such a value, its status change already says so. A run that got no answer
(``inconclusive``: 429, 5xx, timeout, 401/403; ``skipped``: no key) is never drift, and a cell
present in only one file is a catalog change, not a provider's: both are listed, not counted.
"""

from __future__ import annotations

import re
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


#: Volatile parts of an error message: (pattern, what it becomes), applied in order.
_MESSAGE_VOLATILE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:[A-Za-z]:)?(?:[/\\~<][^\s\"',:()]*)+[/\\][^\s\"',:()]+"), "<path>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE), "<id>"),
    (re.compile(r"\b(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{16,}\b"), "<id>"),
    (re.compile(r"\d+(?:\.\d+)?"), "<n>"),
)


def message_shape(message: str | None) -> str | None:
    """An error message with paths, ids and numbers replaced, so two honest runs compare equal."""
    if message is None:
        return None
    for pattern, replacement in _MESSAGE_VOLATILE:
        message = pattern.sub(replacement, message)
    return message


def behaviour(observed: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a quirk is about in one observation, flattened to dotted keys."""
    if not observed:
        return {}
    error = observed.get("error") or {}
    facts: dict[str, Any] = {"outcome": observed.get("outcome"), "status": observed.get("status")}
    facts.update({f"error.{key}": error.get(key) for key in ("type", "param", "code")})
    facts["error.message"] = message_shape(error.get("message"))
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
