"""``quirks accept RESULTS.json``: after a reviewed run, make the drifted answers the expectations.

The rule for the written expectation is in ``provider_quirks.accept``; this prints each change.
Results naming a quirk, target or probe the catalog does not have are refused (exit 2), and a
probe left unchanged because its expectation moved since the run makes the exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from provider_quirks.accept import AcceptError, accept
from provider_quirks.commands import CommandError, project_catalog, project_root
from provider_quirks.providers import PROVIDERS
from provider_quirks.results import ResultsError, read_results


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "accept", help="rewrite drifted (or first recorded) expectations to the observed answers"
    )
    parser.add_argument("results", type=Path, help="results file of the reviewed (live) run")
    parser.add_argument("--quirk", help="only this quirk")
    parser.add_argument("--provider", choices=sorted(PROVIDERS), help="only this provider")
    parser.add_argument(
        "--unreviewed",
        action="store_true",
        help="also adopt probes a live run recorded without any expectation (a new target), after review",
    )
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def run(args: argparse.Namespace) -> int:
    root = project_root(args.root)
    try:
        results = read_results(args.results)
    except ResultsError as error:
        raise CommandError(str(error)) from None
    entries = project_catalog(root)
    if args.quirk and args.quirk not in {entry.quirk.id for entry in entries}:
        raise CommandError(f"unknown quirk {args.quirk!r} (known: {', '.join(e.quirk.id for e in entries)})")
    if results.mode != "live":
        print(f"note: {args.results} comes from a {results.mode} run; the expectations will follow the cassettes")
    today = dt.datetime.now(dt.timezone.utc).date()
    try:
        accepted, skipped = accept(
            results, entries, today, quirk=args.quirk, provider=args.provider, unreviewed=args.unreviewed
        )
    except AcceptError as error:
        raise CommandError("\n".join(f"{args.results}: {line}" for line in str(error).splitlines())) from None
    for change in accepted:
        print(
            f"{change.path.relative_to(root) if change.path.is_relative_to(root) else change.path}: "
            f"{change.quirk}[{change.target}] probe {change.probe}"
        )
        print(f"  was: {_compact(change.old)} (since {change.old_since})")
        print(f"  now: {_compact(change.new)} (since {change.since}, evidence {change.evidence})")
    for skip in skipped:
        print(f"not changed: {skip.quirk}[{skip.target}] probe {skip.probe}: {skip.reason}")
    print(f"{len(accepted)} expectation(s) accepted" if accepted else "no drifted expectation to accept")
    return 1 if skipped else 0  # a refused change is not a success
