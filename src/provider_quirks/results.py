"""Results of a run: one record per cell (quirk × target), written as versioned JSON.

Every run writes this file; the report, ``quirks drift`` and ``quirks accept`` read it. The
schema is documented in ``docs/results-schema.md``; ``SCHEMA_VERSION`` changes when a field's
meaning changes, and readers refuse other versions instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from provider_quirks import __version__
from provider_quirks.cassette import write_atomically

SCHEMA_VERSION = 1
Status = Literal["holds", "drift", "inconclusive", "pending", "n/a", "skipped"]
STATUSES: tuple[Status, ...] = ("holds", "drift", "inconclusive", "pending", "n/a", "skipped")
EVIDENCE: tuple[str, ...] = ("recorded", "reconstructed", "none")


class ResultsError(Exception):
    """A results file that cannot be used: the message is one line naming the file."""


@dataclass
class ProbeResult:
    probe: str
    workaround: bool
    status: Status
    reason: str | None = None
    since: str | None = None
    request: dict[str, Any] | None = None
    expected: Any = None
    observed: dict[str, Any] | None = None
    mismatches: list[str] = field(default_factory=list)


@dataclass
class CellResult:
    quirk: str
    target: str
    provider: str
    variant: str
    status: Status
    reason: str | None = None
    evidence: str = "none"
    recorded_at: str | None = None
    sources: list[str] = field(default_factory=list)
    cassette: str | None = None
    tokens: dict[str, int] | None = None
    probes: list[ProbeResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CellResult:
        fields = dict(data)
        fields["probes"] = [ProbeResult(**probe) for probe in data.get("probes", [])]
        return cls(**fields)


@dataclass
class Results:
    cells: list[CellResult]
    mode: str = "replay"
    suite_version: str = __version__
    generated_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "suite_version": self.suite_version,
            "generated_at": self.generated_at,
            "mode": self.mode,
            "cells": [cell.to_json() for cell in self.cells],
        }

    def cell(self, quirk: str, target: str) -> CellResult | None:
        return next((c for c in self.cells if c.quirk == quirk and c.target == target), None)


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def write_results(path: Path, cells: Iterable[CellResult], mode: str) -> Results:
    results = Results(cells=sorted(cells, key=lambda c: (c.quirk, c.target)), mode=mode, generated_at=now_iso())
    write_atomically(path, json.dumps(results.to_json(), indent=2, ensure_ascii=False) + "\n")
    return results


def read_results(path: Path) -> Results:
    """Load and check a results file; every problem is one ResultsError line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ResultsError(f"{path}: cannot read results: {error.strerror or error}") from None
    except ValueError as error:
        raise ResultsError(f"{path}: not a results file (invalid or truncated JSON: {error})") from None
    if not isinstance(data, Mapping) or "schema_version" not in data:
        raise ResultsError(f"{path}: not a results file (no schema_version)")
    if data["schema_version"] != SCHEMA_VERSION:
        raise ResultsError(
            f"{path}: results schema version {data['schema_version']!r}; this suite reads version {SCHEMA_VERSION}"
        )
    try:
        cells = [CellResult.from_json(cell) for cell in data["cells"]]
    except (KeyError, TypeError) as error:
        raise ResultsError(f"{path}: malformed cell record ({error})") from None
    for cell in cells:
        if cell.status not in STATUSES:
            raise ResultsError(f"{path}: cell {cell.quirk}[{cell.target}] has unknown status {cell.status!r}")
    return Results(
        cells=cells,
        mode=str(data.get("mode", "replay")),
        suite_version=str(data.get("suite_version", "")),
        generated_at=str(data.get("generated_at", "")),
    )
