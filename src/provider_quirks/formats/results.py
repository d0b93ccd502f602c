"""The results file (``.quirks/results.json``), written by every run (``provider_quirks.results``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from provider_quirks.formats.base import Evidence, Open, Status, Timestamp, Tokens, Url


class ProbeResult(Open):
    probe: str
    workaround: bool
    status: Status
    reason: str | None = None
    since: dt.date | None = None
    request: dict[str, Any] | None = Field(None, description="what was sent, without credentials")
    expected: Any = Field(None, description="the expectation's expect")
    observed: dict[str, Any] | None = Field(None, description="the normalized answer")
    mismatches: list[str] = Field(default_factory=list)
    interaction: int | None = Field(
        None, ge=0, description="index of the cassette's interaction that answered (the first, when several did)"
    )


class CellResult(Open):
    quirk: str
    target: str
    provider: str
    variant: str
    status: Status
    reason: str | None = None
    evidence: Evidence = "none"
    recorded_at: dt.date | None = None
    sources: list[Url] = Field(default_factory=list)
    cassette: str | None = None
    tokens: Tokens | None = None
    probes: list[ProbeResult] = Field(default_factory=list)


class ResultsFile(Open):
    """One run of the suite: a record per cell that ran (quirk × target), sorted by quirk, then target."""

    schema_version: Literal[1]
    suite_version: str
    generated_at: Timestamp
    mode: Literal["replay", "live"]
    cells: list[CellResult]
