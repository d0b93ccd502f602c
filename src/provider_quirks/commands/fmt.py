"""``quirks fmt``: rewrite expectation files in their canonical layout.

``quirks accept`` edits expectation files by loading and dumping them, so a file must already be
canonical for an accept to move nothing but the accepted entries (a test checks this).
"""

from __future__ import annotations

import argparse
from typing import Any

from provider_quirks.commands import CommandError, project_root, rewrite_or_check
from provider_quirks.expectations import ExpectationError, dump_expectations, load_expectations


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("fmt", help="rewrite quirks/*.yaml in canonical layout")
    parser.add_argument("--check", action="store_true", help="only report files that are not canonical (exit 1)")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths = sorted((project_root(args.root) / "quirks").glob("*.yaml"))
    try:
        files = [(path, dump_expectations(load_expectations(path))) for path in paths]
    except ExpectationError as error:
        raise CommandError(str(error)) from None
    return rewrite_or_check(files, args.check, differs="not canonical", rewritten="rewritten")
