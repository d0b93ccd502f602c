"""Results of a run: one record per cell (quirk × target), written as versioned JSON.

Every run writes this file; the report, ``quirks drift`` and ``quirks accept`` read it. Its schema
is ``docs/schemas/results.schema.json`` (from ``formats.ResultsFile``): the file is checked against
it when written and when read. ``SCHEMA_VERSION`` changes when a field's meaning changes, and
readers refuse other versions instead of guessing; keys a newer suite adds are ignored.
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
from provider_quirks.problems import dotted

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
    #: The index of the cassette interaction that answered (None when nothing was sent or kept).
    interaction: int | None = None


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
    """Write the run's results; a record the schema refuses is a bug of the suite and raises before writing."""
    # Imported here: pydantic loads only when results are written or read, not with the plugin.
    from provider_quirks.formats import ResultsFile

    results = Results(cells=sorted(cells, key=lambda c: (c.quirk, c.target)), mode=mode, generated_at=now_iso())
    data = results.to_json()
    ResultsFile.model_validate(data)
    write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return results


def read_results(path: Path) -> Results:
    """Load and check a results file; every problem is one ResultsError line."""
    from pydantic import ValidationError  # imported here, like in write_results

    from provider_quirks.formats import ResultsFile, located_errors

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
        checked = ResultsFile.model_validate(data).model_dump(mode="json")
    except ValidationError as error:
        found = located_errors(error, data)
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ResultsError(f"{path}: malformed results: {dotted(found[0][0])}: {found[0][1]}{more}") from None
    return Results(
        cells=[CellResult.from_json(cell) for cell in checked["cells"]],
        mode=checked["mode"],
        suite_version=checked["suite_version"],
        generated_at=checked["generated_at"],
    )
