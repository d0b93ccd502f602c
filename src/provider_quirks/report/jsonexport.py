"""``reports/quirks.json``: the report for other tools (gateways, SDKs), schema in docs/quirks-json-schema.md.

``QUIRKS_JSON_SCHEMA_VERSION`` changes when a field is removed or changes meaning; adding a
field does not change it, so consumers should ignore keys they do not know.
"""

from __future__ import annotations

import json
from typing import Any

from provider_quirks.report.model import (
    EVIDENCE_MARKS,
    EVIDENCE_MEANINGS,
    STATUS_MARKS,
    STATUS_MEANINGS,
    CellView,
    Citation,
    Report,
)
from provider_quirks.results import EVIDENCE, STATUSES

QUIRKS_JSON_SCHEMA_VERSION = 1


def _citation(source: Citation | None) -> dict[str, Any] | None:
    return {"url": source.url, "date": source.date} if source else None


def _cell(cell: CellView) -> dict[str, Any]:
    return {
        "quirk": cell.quirk,
        "target": cell.target,
        "provider": cell.provider,
        "variant": cell.variant,
        "status": cell.status,
        "reason": cell.reason,
        "evidence": cell.evidence,
        "recorded_at": cell.recorded_at,
        "since": cell.since,
        "sources": [_citation(source) for source in cell.sources],
        "cassette": cell.cassette if cell.evidence != "none" else None,
        "tokens": dict(cell.tokens) if cell.tokens else None,
        "expected": {probe.id: probe.expected for probe in cell.probes if probe.expected is not None},
        "observed": {probe.id: dict(probe.observed) for probe in cell.probes if probe.observed},
        "probes": {
            probe.id: {
                "workaround": probe.workaround,
                "status": probe.status,
                "reason": probe.reason,
                "since": probe.since,
                "mismatches": list(probe.mismatches),
                "request": dict(probe.request) if probe.request is not None else None,
                "source": _citation(probe.source),
                "source_note": probe.source_note,
                "answer_parts": probe.parts.to_json() if probe.parts else None,
            }
            for probe in cell.probes
        },
    }


def quirks_json(report: Report, generated_at: str) -> dict[str, Any]:
    statuses = report.status_counts()
    evidence = report.evidence_counts()
    tokens = report.tokens()
    return {
        "schema_version": QUIRKS_JSON_SCHEMA_VERSION,
        "generated_by": "quirks report (generated from the cassettes; do not edit)",
        "generated_at": generated_at,
        "suite_version": report.suite_version,
        "mode": report.mode,
        "statuses": {s: {"mark": STATUS_MARKS[s], "meaning": STATUS_MEANINGS[s]} for s in STATUSES},
        "evidence_levels": {v: {"mark": EVIDENCE_MARKS[v], "meaning": EVIDENCE_MEANINGS[v]} for v in EVIDENCE},
        "targets": [
            {"id": target, "provider": target.split("@", 1)[0], "variant": target.split("@", 1)[1]}
            for target in report.targets
        ],
        "summary": {
            provider: {
                "status": {s: counts[s] for s in STATUSES},
                "evidence": {v: evidence[provider][v] for v in EVIDENCE},
            }
            for provider, counts in statuses.items()
        },
        "tokens": {"live": tokens.live, "input": tokens.input, "output": tokens.output, "cells": tokens.cells},
        "quirks": [
            {
                "id": view.quirk.id,
                "title": view.quirk.title,
                "category": view.quirk.category,
                "claim": view.quirk.claim,
                "summary": view.quirk.summary,
                "why_it_matters": view.quirk.why_it_matters,
                "workaround": view.quirk.workaround,
                "sources": list(view.quirk.sources),
                "targets": list(view.quirk.targets),
                "probes": [
                    {"id": probe.id, "summary": probe.summary, "workaround": probe.shows_workaround}
                    for probe in view.quirk.probes
                ],
            }
            for view in report.quirks
        ],
        "cells": [_cell(cell) for cell in report.cells()],
    }


def render_json(report: Report, generated_at: str) -> str:
    return json.dumps(quirks_json(report, generated_at), indent=2, ensure_ascii=False) + "\n"
