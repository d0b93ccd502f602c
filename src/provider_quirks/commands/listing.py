"""``quirks list``: the catalog, with each cell's expectation and the evidence behind it."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from provider_quirks.catalog import CatalogEntry, cassette_path
from provider_quirks.commands import project_catalog, project_root
from provider_quirks.expectations import CellExpectation
from provider_quirks.targets import Target

LIST_SCHEMA_VERSION = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("list", help="show the catalog: quirks, targets and evidence per cell")
    parser.add_argument("--json", action="store_true", help="print the catalog as JSON (schema_version 1)")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def expected_summary(cell: CellExpectation) -> Any:
    if cell.status != "checked":
        return cell.status
    return {
        probe_id: probe.expect if probe.status == "checked" else probe.status for probe_id, probe in cell.probes.items()
    }


def cell_evidence(entry: CatalogEntry, target: Target, root: Path) -> tuple[str, list[str]]:
    """Evidence level and sources of a cell with a cassette; the catalog proved they agree with the cassette's."""
    cell = entry.cell(target)
    if cell.status == "n/a":
        return "n/a", []
    if cell.status == "pending" or not cassette_path(root / "cassettes", entry.quirk.id, target).is_file():
        return "none", list(cell.sources)
    return str(cell.evidence), list(cell.sources)


def catalog_json(entries: list[CatalogEntry], root: Path) -> dict[str, Any]:
    quirks = []
    for entry in entries:
        cells = []
        for target in entry.targets():
            cell = entry.cell(target)
            evidence, sources = cell_evidence(entry, target, root)
            since = [p.since.isoformat() for p in cell.probes.values() if p.since]
            cells.append(
                {
                    "provider": target.provider.name,
                    "variant": target.variant.name,
                    "expected": expected_summary(cell),
                    "evidence": evidence,
                    "sources": sources,
                    "since": max(since) if since else None,
                }
            )
        quirk = entry.quirk
        quirks.append(
            {
                "id": quirk.id,
                "title": quirk.title,
                "category": quirk.category,
                "claim": quirk.claim,
                "workaround": quirk.workaround,
                "sources": list(quirk.sources),
                "cells": cells,
            }
        )
    return {"schema_version": LIST_SCHEMA_VERSION, "quirks": quirks}


def run(args: argparse.Namespace) -> int:
    root = project_root(args.root)
    entries = project_catalog(root)
    catalog = catalog_json(entries, root)
    if args.json:
        print(json.dumps(catalog, indent=2, ensure_ascii=False))
        return 0
    per_provider: dict[str, Counter[str]] = {}
    for quirk in catalog["quirks"]:
        marks = " ".join(f"{c['provider']}@{c['variant']}={c['evidence']}" for c in quirk["cells"])
        print(f"{quirk['id']:<24} {quirk['title']}")
        print(f"{'':<24} {marks}")
        for cell in quirk["cells"]:
            per_provider.setdefault(cell["provider"], Counter())[cell["evidence"]] += 1
    print()
    print(f"{'provider':<18} {'recorded':>9} {'reconstructed':>14} {'pending':>8} {'n/a':>5}")
    for provider, counts in per_provider.items():
        levels = f"{counts['recorded']:>9} {counts['reconstructed']:>14} {counts['none']:>8} {counts['n/a']:>5}"
        print(f"{provider:<18} {levels}")
    return 0
