"""Expectations: what the suite believes each target answers, kept as reviewable data.

One YAML file per quirk (``quirks/<module>.yaml``) holds, per target, either ``n/a`` or
``pending`` with a reason, or the evidence level, sources and one entry per probe. Loading is
strict: a malformed entry, an unknown target or probe, or a missing one fails with the file and
the entry named, because a silently ignored expectation is a test that cannot fail.

The files are kept in one canonical layout (``dump_expectations``) so that ``quirks accept`` can
rewrite one entry and leave every other byte where it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from provider_quirks.yamlio import dump_yaml, load_yaml

EvidenceLevel = Literal["recorded", "reconstructed"]
EVIDENCE_LEVELS: tuple[str, ...] = ("recorded", "reconstructed")
#: Operators allowed inside an expected value, e.g. ``message: {$contains: "Extra inputs"}``.
MATCH_OPERATORS = frozenset({"$regex", "$contains", "$present", "$len", "$gte"})


class ExpectationError(Exception):
    """A malformed expectation file; the message names the file and the entry."""


@dataclass(frozen=True)
class ProbeExpectation:
    """``expect`` (a partial observation), or a reason it is ``pending`` or ``n/a``."""

    probe: str
    state: Literal["expect", "pending", "n/a"]
    expect: Mapping[str, Any] | None = None
    since: dt.date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CellExpectation:
    target: str
    state: Literal["checked", "pending", "n/a"]
    reason: str | None = None
    evidence: EvidenceLevel | None = None
    sources: tuple[str, ...] = ()
    probes: dict[str, ProbeExpectation] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpectationFile:
    path: Path
    quirk: str
    cells: dict[str, CellExpectation]


def load_expectations(path: Path) -> ExpectationFile:
    """Parse and validate the shape of one file (catalog checks come from ``catalog``)."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ExpectationError(f"{path}: cannot read expectations: {error}") from None
    where = str(path)
    _require_mapping(data, where, {"quirk", "cells"}, required={"quirk", "cells"})
    _require_mapping(data["cells"], f"{where}: cells")
    cells = {
        str(target): _cell(str(target), entry, f"{where}: cells.{target}") for target, entry in data["cells"].items()
    }
    return ExpectationFile(path=path, quirk=str(data["quirk"]), cells=cells)


def _require_mapping(
    value: Any, where: str, allowed: set[str] | None = None, required: frozenset[str] | set[str] = frozenset()
) -> None:
    if not isinstance(value, Mapping):
        raise ExpectationError(f"{where}: expected a mapping, found {type(value).__name__}")
    if allowed is not None and set(value) - allowed:
        raise ExpectationError(f"{where}: unknown key(s) {sorted(set(value) - allowed)}; allowed: {sorted(allowed)}")
    if set(required) - set(value):
        raise ExpectationError(f"{where}: missing key(s) {sorted(set(required) - set(value))}")


def _reason(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ExpectationError(f"{where}: a reason (non-empty text) is required")
    return value


def _cell(target: str, entry: Any, where: str) -> CellExpectation:
    _require_mapping(entry, where)
    for state in ("n/a", "pending"):
        if state in entry:
            _require_mapping(entry, where, {state})
            return CellExpectation(target, state, reason=_reason(entry[state], f"{where}.{state}"))
    _require_mapping(entry, where, {"evidence", "sources", "probes"}, required={"evidence", "probes"})
    if entry["evidence"] not in EVIDENCE_LEVELS:
        raise ExpectationError(f"{where}.evidence: {entry['evidence']!r} is not one of {EVIDENCE_LEVELS}")
    sources = entry.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.startswith("http") for s in sources):
        raise ExpectationError(f"{where}.sources: a list of URLs is required")
    if entry["evidence"] == "reconstructed" and not sources:
        raise ExpectationError(f"{where}.sources: reconstructed evidence must cite its sources")
    _require_mapping(entry["probes"], f"{where}.probes")
    probes = {str(p): _probe(str(p), e, f"{where}.probes.{p}") for p, e in entry["probes"].items()}
    return CellExpectation(target, "checked", evidence=entry["evidence"], sources=tuple(sources), probes=probes)


def _probe(probe: str, entry: Any, where: str) -> ProbeExpectation:
    _require_mapping(entry, where)
    for state in ("n/a", "pending"):
        if state in entry:
            _require_mapping(entry, where, {state})
            return ProbeExpectation(probe, state, reason=_reason(entry[state], f"{where}.{state}"))
    _require_mapping(entry, where, {"since", "expect"}, required={"since", "expect"})
    if not isinstance(entry["since"], dt.date):
        raise ExpectationError(f"{where}.since: a date (YYYY-MM-DD) is required, found {entry['since']!r}")
    _require_mapping(entry["expect"], f"{where}.expect")
    _check_operators(entry["expect"], f"{where}.expect")
    return ProbeExpectation(probe, "expect", expect=entry["expect"], since=entry["since"])


def _check_operators(value: Any, where: str) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if str(key).startswith("$") and key not in MATCH_OPERATORS:
                raise ExpectationError(f"{where}: unknown operator {key!r}; known: {sorted(MATCH_OPERATORS)}")
            if key == "$regex":
                try:
                    re.compile(inner)
                except (re.error, TypeError) as error:
                    raise ExpectationError(f"{where}: bad $regex {inner!r}: {error}") from None
            _check_operators(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _check_operators(inner, f"{where}[{index}]")


def expectation_data(file: ExpectationFile) -> dict[str, Any]:
    """The file's content as plain data, in canonical order (targets and probes as declared)."""
    cells: dict[str, Any] = {}
    for target, cell in file.cells.items():
        if cell.state != "checked":
            cells[target] = {cell.state: cell.reason}
            continue
        probes: dict[str, Any] = {}
        for probe_id, probe in cell.probes.items():
            if probe.state == "expect":
                probes[probe_id] = {"since": probe.since, "expect": probe.expect}
            else:
                probes[probe_id] = {probe.state: probe.reason}
        entry: dict[str, Any] = {"evidence": cell.evidence}
        if cell.sources:
            entry["sources"] = list(cell.sources)
        entry["probes"] = probes
        cells[target] = entry
    return {"quirk": file.quirk, "cells": cells}


def dump_expectations(file: ExpectationFile) -> str:
    return dump_yaml(expectation_data(file))
