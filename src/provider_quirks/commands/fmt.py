"""``quirks fmt``: rewrite expectation files in their canonical layout.

``quirks accept`` edits expectation files by loading and dumping them, so a file must already be
canonical for an accept to move nothing but the accepted entries (a test checks this).
"""

from __future__ import annotations

import argparse
from typing import Any

from provider_quirks.cassette import write_atomically
from provider_quirks.commands import CommandError, project_root
from provider_quirks.expectations import ExpectationError, dump_expectations, load_expectations


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("fmt", help="rewrite quirks/*.yaml in canonical layout")
    parser.add_argument("--check", action="store_true", help="only report files that are not canonical (exit 1)")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    changed = []
    for path in sorted((project_root(args.root) / "quirks").glob("*.yaml")):
        try:
            canonical = dump_expectations(load_expectations(path))
        except ExpectationError as error:
            raise CommandError(str(error)) from None
        if canonical != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not args.check:
                write_atomically(path, canonical)
    verb = "not canonical" if args.check else "rewritten"
    for path in changed:
        print(f"{verb}: {path}")
    return 1 if changed and args.check else 0
