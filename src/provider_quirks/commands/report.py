"""``quirks report``: replay the suite offline (or read a results file) and write ``reports/``.

The replay runs every cell in this process through the same runner as the pytest plugin, with
the network blocked but for loopback, and shows its progress per quirk. Then the files (and the
per-quirk detail files) are rendered in memory and written atomically, and a one-screen summary
names them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pytest_recording import network

from provider_quirks.catalog import CatalogEntry
from provider_quirks.commands import CommandError, project_catalog, project_root
from provider_quirks.report import render_report, write_report
from provider_quirks.report.model import (
    DETAIL_DIR,
    EVIDENCE_MARKS,
    STATUS_MARKS,
    MissingCell,
    Report,
    ReportError,
    build_report,
)
from provider_quirks.results import EVIDENCE, STATUSES, CellResult, Results, ResultsError, now_iso, read_results
from provider_quirks.runner import run_cell
from provider_quirks.sending import MissingInteraction
from provider_quirks.settings import LOOPBACK_HOSTS, RunSettings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="replay the cassettes offline and write reports/ (md, html, json)")
    parser.add_argument("--results", type=Path, help="render this results file instead of replaying the suite")
    parser.add_argument("--out", type=Path, help="output folder (default: <root>/reports)")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def replay(root: Path, entries: Sequence[CatalogEntry]) -> Results:
    """Run every cell in this process, offline (the network is blocked but for loopback), as pytest would."""
    settings = RunSettings(live=False, cassette_dir=root / "cassettes", root=root)
    print(f"replaying {len(entries)} quirk(s) from {root / 'cassettes'} (offline)", file=sys.stderr, flush=True)
    cells: list[CellResult] = []
    with network.blocking_context(allowed_hosts=LOOPBACK_HOSTS):
        for entry in entries:
            for target in entry.targets():
                try:
                    cells.append(run_cell(entry, target, settings))
                except MissingInteraction as error:
                    raise CommandError(f"{entry.quirk.id}[{target.id}]: {error}") from None
            done = Counter(cell.status for cell in cells if cell.quirk == entry.quirk.id)
            print(f"  {entry.quirk.id}: " + ", ".join(f"{n} {s}" for s, n in sorted(done.items())), file=sys.stderr)
    return Results(cells=sorted(cells, key=lambda c: (c.quirk, c.target)), mode="replay", generated_at=now_iso())


def summary_lines(report: Report, written: Sequence[Path]) -> list[str]:
    statuses = report.status_counts()
    evidence = report.evidence_counts()
    columns = [f"{STATUS_MARKS[s]} {s}" for s in STATUSES] + [f"{EVIDENCE_MARKS[v]} {v}" for v in EVIDENCE]
    widths = [max(len(c), 3) for c in columns]
    lines = [f"{len(report.cells())} cells: {len(report.quirks)} quirks on {len(report.targets)} targets"]
    lines.append(f"{'provider':<18} " + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for provider, counts in statuses.items():
        values = [counts[s] for s in STATUSES] + [evidence[provider][v] for v in EVIDENCE]
        lines.append(f"{provider:<18} " + " ".join(f"{v:>{w}}" for v, w in zip(values, widths, strict=True)))
    tokens = report.tokens()
    kind = "used by this live run" if tokens.live else "in the recorded answers"
    lines.append(f"tokens {kind}: {tokens.input} input, {tokens.output} output ({tokens.cells} cells)")
    details = [path for path in written if path.parent.name == DETAIL_DIR]
    pages = [path for path in written if path not in details]
    if pages:  # one line, so that the whole summary fits one screen whatever the number of providers
        folder = pages[0].parent
        names = ", ".join(str(path) if path.parent != folder else path.name for path in pages)
        lines.append(f"wrote {names} in {folder}")
    if details:
        lines.append(f"wrote {len(details)} quirk detail files in {details[0].parent}")
    return lines


def run(args: argparse.Namespace) -> int:
    root = project_root(args.root)
    entries = project_catalog(root)
    if args.results:
        try:
            results = read_results(args.results)
        except ResultsError as error:
            raise CommandError(str(error)) from None
        name = str(args.results)
    else:
        results = replay(root, entries)
        name = "the replay"
    try:
        report = build_report(results, entries, root, name)
    except MissingCell as error:
        hint = "a partial run or another catalog: run the whole suite" if args.results else "see the error above"
        raise CommandError(f"{error} ({hint})") from None
    except ReportError as error:
        raise CommandError(str(error)) from None
    files = render_report(report, now_iso())
    try:
        written = write_report(args.out or root / "reports", files)
    except OSError as error:
        raise CommandError(f"cannot write the report: {error}") from None
    print("\n".join(summary_lines(report, written)))
    return 0
