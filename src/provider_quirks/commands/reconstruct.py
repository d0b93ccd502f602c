"""``quirks reconstruct``: put a cited public answer into a cell's cassette (see reconstruct.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from provider_quirks.catalog import CatalogError, load_entry, quirk_modules
from provider_quirks.commands import CommandError, project_root
from provider_quirks.expectations import ExpectationError
from provider_quirks.providers import ConfigurationError
from provider_quirks.reconstruct import Quote, ReconstructError, reconstruct


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("reconstruct", help="add a quoted, cited answer to a cell's cassette")
    parser.add_argument("quirk", help="quirk id, e.g. null-values")
    parser.add_argument("target", help="provider@variant")
    parser.add_argument("probe", help="probe id of the quirk")
    parser.add_argument("--status", type=int, required=True, help="HTTP status the source shows")
    parser.add_argument("--body", required=True, help="file holding the body exactly as quoted, or - for stdin")
    parser.add_argument("--source", required=True, help="URL the body is quoted from")
    parser.add_argument("--source-date", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD of the source")
    parser.add_argument("--note", required=True, help="what differs from the source's request, what was converted")
    parser.add_argument("--content-type", default="application/json")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    root = project_root(args.root)
    module = root / "quirks" / f"{args.quirk.replace('-', '_')}.py"
    if not module.is_file():
        known = ", ".join(path.stem.replace("_", "-") for path in quirk_modules(root / "quirks"))
        raise CommandError(f"unknown quirk {args.quirk!r} (known: {known})")
    try:
        entry = load_entry(module)  # only this quirk: another module being edited does not block
        target = entry.quirk.resolve(args.target)
    except (CatalogError, ConfigurationError, ExpectationError) as error:
        raise CommandError(str(error)) from None
    raw = sys.stdin.buffer.read() if args.body == "-" else Path(args.body).read_bytes()
    try:
        body = raw.decode("utf-8")  # bytes, not text mode: a quoted stream keeps its CRLF line endings
    except UnicodeDecodeError as error:
        raise CommandError(f"--body: not UTF-8 text: {error}") from None
    if "json" in args.content_type:
        body = body.rstrip("\n")  # the newline an editor adds is not part of a JSON body; SSE keeps its own
    quote = Quote(args.status, body, args.content_type, args.source, args.source_date, args.note)
    try:
        path = reconstruct(entry, target, args.probe, quote, root / "cassettes")
    except ReconstructError as error:
        raise CommandError(str(error)) from None
    print(f"wrote {path}")
    return 0
