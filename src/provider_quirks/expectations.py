"""Expectations: what the suite believes each target answers, kept as reviewable data.

One YAML file per quirk (``quirks/<module>.yaml``) holds, per target, either ``n/a`` or
``pending`` with a reason, or the evidence level, sources and one entry per probe. Like WPT's
metadata, a file states what most targets answer once, under ``defaults`` (probe id ->
``expect``), and per target only what differs: a probe entry with ``since`` alone takes the
default, one with ``expect`` replaces it whole (no merging, so each expectation reads in one
place). The loaded file has the defaults resolved: the rest of the suite never sees them. Loading is
strict: a malformed entry, an unknown key or operator fails with the file, line, column and entry
named (every problem of the file at once), because a silently ignored expectation is a test that
cannot fail. The catalog adds the checks that need the quirk (targets, probes, field names).

The files are kept in one canonical layout (``dump_expectations``: defaults first, and an
``expect`` only where it differs from the default) so that ``quirks accept`` can rewrite one
entry and leave every other byte where it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from provider_quirks.problems import FileProblems, Key, LoadError, Problem, did_you_mean, positions, yaml_problem
from provider_quirks.yamlio import dump_yaml, load_yaml

EvidenceLevel = Literal["recorded", "reconstructed"]
EVIDENCE_LEVELS: tuple[str, ...] = ("recorded", "reconstructed")
#: Where an expectation stands: ``checked`` (it states what to expect), or ``pending`` / ``n/a`` with a reason.
#: A cell's result status (``results.Status``) starts from it: a ``checked`` one becomes holds or drift.
ExpectationStatus = Literal["checked", "pending", "n/a"]
#: Operators allowed inside an expected value, e.g. ``message: {$contains: "Extra inputs"}``.
MATCH_OPERATORS = frozenset({"$regex", "$contains", "$present", "$len", "$gte", "$lte"})


class ExpectationError(LoadError):
    """A malformed expectation file: every problem found in it, one line each."""


@dataclass(frozen=True)
class ProbeExpectation:
    """``expect`` (a partial observation), or a reason it is ``pending`` or ``n/a``."""

    probe: str
    status: ExpectationStatus
    expect: Mapping[str, Any] | None = None
    since: dt.date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CellExpectation:
    target: str
    status: ExpectationStatus
    reason: str | None = None
    evidence: EvidenceLevel | None = None
    sources: tuple[str, ...] = ()
    probes: dict[str, ProbeExpectation] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpectationFile:
    path: Path
    quirk: str
    cells: dict[str, CellExpectation]
    #: Probe id -> the expectation of every checked cell that gives only ``since`` for it.
    defaults: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Line and column of each entry, for problems found later (catalog checks).
    marks: Mapping[Key, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def problems(self) -> FileProblems:
        """A collector for problems of this file, placed at its entries."""
        return FileProblems(self.path, self.marks)


def load_expectations(path: Path) -> ExpectationFile:
    """Parse and validate the shape of one file (catalog checks come from ``catalog``)."""
    try:
        text = path.read_text(encoding="utf-8")
        data, where = load_yaml(text), positions(text)
    except OSError as error:
        raise ExpectationError([Problem(path, f"cannot read expectations: {error}")]) from None
    except yaml.YAMLError as error:
        raise ExpectationError([yaml_problem(path, error)]) from None
    problems = FileProblems(path, where.marks)
    for key, first, again in where.repeated:
        problems.add(key, f"written twice (lines {first} and {again}); only the last would count")
    cells: dict[str, CellExpectation] = {}
    defaults: dict[str, Mapping[str, Any]] = {}
    if _mapping(data, (), problems, {"quirk", "defaults", "cells"}, required={"quirk", "cells"}):
        defaults = _defaults(data.get("defaults", {}), problems)
        if _mapping(data["cells"], ("cells",), problems):
            for target, entry in data["cells"].items():
                cell = _cell(str(target), entry, ("cells", str(target)), defaults, problems)
                if cell is not None:
                    cells[str(target)] = cell
    if problems.found:
        raise ExpectationError(problems.found)
    return ExpectationFile(path=path, quirk=str(data["quirk"]), cells=cells, defaults=defaults, marks=where.marks)


def _mapping(
    value: Any,
    at: Key,
    problems: FileProblems,
    allowed: set[str] | None = None,
    required: frozenset[str] | set[str] = frozenset(),
) -> bool:
    """Whether ``value`` is a mapping with only ``allowed`` and all ``required`` keys; else say why."""
    if not isinstance(value, Mapping):
        problems.add(at, f"expected a mapping, found {type(value).__name__}")
        return False
    unknown = [str(key) for key in value if allowed is not None and key not in allowed]
    for key in unknown:
        problems.add((*at, key), f"unknown key {key!r}{did_you_mean(key, allowed or ())}")
    missing = sorted(set(required) - set(value))
    if missing:
        problems.add(at, f"missing key(s) {', '.join(missing)}")
    return not unknown and not missing


def _reason(value: Any, at: Key, problems: FileProblems) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.add(at, "a reason (non-empty text) is required")
        return ""
    return value


def _defaults(value: Any, problems: FileProblems) -> dict[str, Mapping[str, Any]]:
    """Each probe's default ``expect``, checked like any expectation (the catalog checks the probe ids)."""
    defaults: dict[str, Mapping[str, Any]] = {}
    if not _mapping(value, ("defaults",), problems):
        return defaults
    for probe_id, entry in value.items():
        at = ("defaults", str(probe_id))
        if _mapping(entry, at, problems, {"expect"}, required={"expect"}) and _mapping(
            entry["expect"], (*at, "expect"), problems
        ):
            _check_operators(entry["expect"], (*at, "expect"), problems)
            defaults[str(probe_id)] = entry["expect"]
        else:
            defaults[str(probe_id)] = {}  # reported here once, not again at each cell that uses it
    return defaults


def _cell(
    target: str, entry: Any, at: Key, defaults: Mapping[str, Mapping[str, Any]], problems: FileProblems
) -> CellExpectation | None:
    if not _mapping(entry, at, problems):
        return None
    for status in ("n/a", "pending"):
        if status in entry:
            if not _mapping(entry, at, problems, {status}):
                return None
            return CellExpectation(target, status, reason=_reason(entry[status], (*at, status), problems))
    if not _mapping(entry, at, problems, {"evidence", "sources", "probes"}, required={"evidence", "probes"}):
        return None
    if entry["evidence"] not in EVIDENCE_LEVELS:
        problems.add((*at, "evidence"), f"{entry['evidence']!r} is not one of {EVIDENCE_LEVELS}")
    sources = entry.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.startswith("http") for s in sources):
        problems.add((*at, "sources"), "a list of URLs is required")
        sources = []
    elif entry["evidence"] == "reconstructed" and not sources:
        problems.add((*at, "sources"), "reconstructed evidence must cite its sources")
    if not _mapping(entry["probes"], (*at, "probes"), problems):
        return None
    probes = {}
    for probe_id, probe_entry in entry["probes"].items():
        probe = _probe(str(probe_id), probe_entry, (*at, "probes", str(probe_id)), defaults, problems)
        if probe is not None:
            probes[str(probe_id)] = probe
    return CellExpectation(target, "checked", evidence=entry["evidence"], sources=tuple(sources), probes=probes)


def _probe(
    probe: str, entry: Any, at: Key, defaults: Mapping[str, Mapping[str, Any]], problems: FileProblems
) -> ProbeExpectation | None:
    if not _mapping(entry, at, problems):
        return None
    for status in ("n/a", "pending"):
        if status in entry:
            if not _mapping(entry, at, problems, {status}):
                return None
            return ProbeExpectation(probe, status, reason=_reason(entry[status], (*at, status), problems))
    if not _mapping(entry, at, problems, {"since", "expect"}, required={"since"}):
        return None
    if not isinstance(entry["since"], dt.date):
        problems.add((*at, "since"), f"a date (YYYY-MM-DD) is required, found {entry['since']!r}")
    if "expect" not in entry:
        if probe not in defaults:
            problems.add(at, f"no expect, and defaults has no {probe!r} (write expect here, or defaults.{probe})")
            return None
        return ProbeExpectation(probe, "checked", expect=defaults[probe], since=entry["since"])
    if not _mapping(entry["expect"], (*at, "expect"), problems):
        return None
    _check_operators(entry["expect"], (*at, "expect"), problems)
    return ProbeExpectation(probe, "checked", expect=entry["expect"], since=entry["since"])


def _check_operators(value: Any, at: Key, problems: FileProblems) -> None:
    """Operators are known, stand alone in their mapping, and a ``$regex`` compiles."""
    if isinstance(value, Mapping):
        operators = [str(key) for key in value if str(key).startswith("$")]
        if operators and len(operators) != len(value):
            problems.add(at, f"operators {operators} and fields cannot share a mapping")
        for key, inner in value.items():
            if str(key).startswith("$") and key not in MATCH_OPERATORS:
                problems.add((*at, str(key)), f"unknown operator {key!r}{did_you_mean(str(key), MATCH_OPERATORS)}")
            elif key == "$regex":
                try:
                    re.compile(inner)
                except (re.error, TypeError) as error:
                    problems.add((*at, key), f"bad $regex {inner!r}: {error}")
            else:
                _check_operators(inner, (*at, str(key)), problems)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _check_operators(inner, (*at, index), problems)


def expectation_data(file: ExpectationFile) -> dict[str, Any]:
    """The file's content as plain data, in canonical order (defaults, targets and probes as declared).

    A probe's ``expect`` is written only where it differs from its default, so an accepted
    expectation equal to the default becomes ``since`` alone.
    """
    cells: dict[str, Any] = {}
    for target, cell in file.cells.items():
        if cell.status != "checked":
            cells[target] = {cell.status: cell.reason}
            continue
        probes: dict[str, Any] = {}
        for probe_id, probe in cell.probes.items():
            if probe.status == "checked" and probe.expect == file.defaults.get(probe_id):
                probes[probe_id] = {"since": probe.since}
            elif probe.status == "checked":
                probes[probe_id] = {"since": probe.since, "expect": probe.expect}
            else:
                probes[probe_id] = {probe.status: probe.reason}
        entry: dict[str, Any] = {"evidence": cell.evidence}
        if cell.sources:
            entry["sources"] = list(cell.sources)
        entry["probes"] = probes
        cells[target] = entry
    defaults = {"defaults": {probe: {"expect": expect} for probe, expect in file.defaults.items()}}
    return {"quirk": file.quirk, **(defaults if file.defaults else {}), "cells": cells}


def dump_expectations(file: ExpectationFile) -> str:
    return dump_yaml(expectation_data(file))
