"""``quirks drift OLD.json NEW.json``: the cells that changed between two runs; exit 1 on drift.

The rules (what counts, what is only listed) are in ``provider_quirks.drift``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from provider_quirks.commands import CommandError
from provider_quirks.drift import Change, compare
from provider_quirks.results import Results, ResultsError, now_iso, read_results

DRIFT_SCHEMA_VERSION = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "drift", help="list cells whose status or behaviour changed between two results files"
    )
    parser.add_argument("old", type=Path, help="results file of the earlier run")
    parser.add_argument("new", type=Path, help="results file of the later run")
    parser.add_argument("--json", action="store_true", help=f"print JSON (schema_version {DRIFT_SCHEMA_VERSION})")
    parser.add_argument(
        "--append-changes",
        type=Path,
        metavar="CHANGES_MD",
        help="also append the changes, dated, to this Markdown file (e.g. reports/CHANGES.md after a live run)",
    )
    parser.set_defaults(handler=run)


def _read(path: Path) -> Results:
    try:
        return read_results(path)
    except ResultsError as error:
        raise CommandError(str(error)) from None


def table(changes: list[Change]) -> list[str]:
    rows = [("quirk", "target", "old", "new", "change")]
    for change in changes:
        detail = "; ".join(change.details) or change.kind
        if not change.drifted:
            detail = f"{change.kind} (not counted){': ' + detail if change.details else ''}"
        rows.append((change.quirk, change.target, change.old_status or "-", change.new_status or "-", detail))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return ["  ".join(f"{v:<{w}}" for v, w in zip(row[:4], widths, strict=True)) + "  " + row[4] for row in rows]


def run(args: argparse.Namespace) -> int:
    if args.append_changes is not None:
        append_changes(args.append_changes, compare(_read(args.old), _read(args.new)), args.new)
    return print_drift(args.old, args.new, as_json=args.json)


def append_changes(path: Path, changes: list[Change], new: Path) -> None:
    """A dated section at the end of ``path``: what a live run found, next to the report's own history.

    ``quirks report`` writes CHANGES.md from the repository's history; a live run's drift is not in
    that history until it is reviewed and committed, so the workflow appends it to the copy it uploads.
    """
    if not path.is_file():
        raise CommandError(f"{path}: no such file to append to (run `quirks report` first)")
    drifted = sum(1 for change in changes if change.drifted)
    lines = [
        "",
        f"## Live run of {now_iso()}: {drifted} cell(s) drifted, {len(changes) - drifted} listed ({new.name})",
        "",
    ]
    lines += ["```", *table(changes), "```"] if changes else ["No cell changed."]
    with path.open("a", encoding="utf-8") as changes_md:
        changes_md.write("\n".join(lines) + "\n")


def print_drift(old: Path, new: Path, *, as_json: bool = False) -> int:
    """Print the changes between two results files; 1 when a cell drifted (also used by record-local)."""
    changes = compare(_read(old), _read(new))
    drifted = [change for change in changes if change.drifted]
    if as_json:
        document = {
            "schema_version": DRIFT_SCHEMA_VERSION,
            "old": str(old),
            "new": str(new),
            "drifted": len(drifted),
            "changes": [change.to_json() for change in changes],
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
    elif changes:
        print("\n".join(table(changes)))
        print(
            f"\n{len(drifted)} cell(s) drifted"
            + (f", {len(changes) - len(drifted)} listed but not counted" if len(changes) > len(drifted) else "")
        )
    else:
        print("no cell changed")
    return 1 if drifted else 0
