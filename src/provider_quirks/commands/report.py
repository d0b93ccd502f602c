"""``quirks report``: replay the suite offline (or read a results file) and write ``reports/``.

The replay is a pytest run in a subprocess, exactly as a user would run it, with the network
blocked by the plugin and any live-recording option taken away; its progress is shown as it
runs. Then the three files are rendered in memory and written atomically, and a one-screen
summary names each file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provider_quirks.catalog import Entry
from provider_quirks.commands import CommandError, project_catalog, project_root
from provider_quirks.report import render_report, write_report
from provider_quirks.report.model import (
    EVIDENCE_MARKS,
    STATUS_MARKS,
    MissingCell,
    Report,
    ReportError,
    build_report,
)
from provider_quirks.results import EVIDENCE, STATUSES, Results, ResultsError, now_iso, read_results

#: pytest's exit codes for "ran, some cells drifted or failed" (the report shows them) and "no cells".
PYTEST_RAN = (0, 1)
PYTEST_NO_TESTS = 5


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="replay the cassettes offline and write reports/ (md, html, json)")
    parser.add_argument("--results", type=Path, help="render this results file instead of replaying the suite")
    parser.add_argument("--out", type=Path, help="output folder (default: <root>/reports)")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def replay_command(root: Path, results_path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        str(root / "quirks"),
        f"--rootdir={root}",
        f"--quirks-results={results_path}",
        "--record-mode=none",
        "-q",
        "-rN",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
    ]


def replay(root: Path, entries: Sequence[Entry]) -> Results:
    """Run the suite in replay mode, streaming pytest's progress to stderr; return its results."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}  # never inherit a live record mode
    with tempfile.TemporaryDirectory(prefix="quirks-report-") as folder:
        path = Path(folder) / "results.json"
        print(f"replaying {len(entries)} quirk(s) from {root / 'cassettes'} (offline)", file=sys.stderr, flush=True)
        process = subprocess.Popen(
            replay_command(root, path), cwd=root, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        assert process.stdout is not None
        while chunk := os.read(process.stdout.fileno(), 4096):
            sys.stderr.write(chunk.decode("utf-8", errors="replace"))
            sys.stderr.flush()
        code = process.wait()
        if code == PYTEST_NO_TESTS and not entries:
            return Results(cells=[])
        if code not in PYTEST_RAN or not path.is_file():
            raise CommandError(f"the replay did not run (pytest exit status {code}); see its output above")
        try:
            return read_results(path)
        except ResultsError as error:
            raise CommandError(str(error)) from None


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
    lines += [f"wrote {path}" for path in written]
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
        hint = "a partial run or another catalog: run the whole suite" if args.results else "see pytest's error above"
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
