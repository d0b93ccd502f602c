"""``quirks reconstruct``: put a cited public answer into a cell's cassette (see reconstruct.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from provider_quirks.catalog import CatalogEntry, CatalogError, load_entry, quirk_modules
from provider_quirks.commands import CommandError, project_root
from provider_quirks.problems import shown
from provider_quirks.providers import ConfigurationError
from provider_quirks.reconstruct import Quote, ReconstructError, quoted_parts, reconstruct, supported_expectation
from provider_quirks.sdk.quirk import SdkQuirk
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable
from provider_quirks.yamlio import dump_yaml


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
    parser.add_argument(
        "--quoted",
        default="body",
        metavar="PARTS",
        help="parts of the answer the source shows, comma-separated from status,reason,headers,body; "
        "body required; the others are filled in by the suite (default: body)",
    )
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
    except (CatalogError, ConfigurationError) as error:
        raise CommandError(str(error)) from None
    try:
        quoted = quoted_parts(args.quoted.split(","))
    except ReconstructError as error:
        raise CommandError(str(error)) from None
    raw = sys.stdin.buffer.read() if args.body == "-" else Path(args.body).read_bytes()
    try:
        body = raw.decode("utf-8")  # bytes, not text mode: a quoted stream keeps its CRLF line endings
    except UnicodeDecodeError as error:
        raise CommandError(f"--body: not UTF-8 text: {error}") from None
    if "json" in args.content_type:
        body = body.rstrip("\n")  # the newline an editor adds is not part of a JSON body; SSE keeps its own
    quote = Quote(args.status, body, args.content_type, args.source, args.source_date, args.note, quoted)
    try:
        path = reconstruct(entry, target, args.probe, quote, root / "cassettes")
    except ReconstructError as error:
        raise CommandError(str(error)) from None
    print(f"wrote {shown(path)}")
    if isinstance(entry.quirk, SdkQuirk):
        print(f"next: pytest {shown(module)}, and write the expectation from the observation in .quirks/results.json")
        return 0
    try:
        expect = supported_expectation(entry, target, args.probe, quote)
    except ReconstructError as error:
        raise CommandError(str(error)) from None
    print("\n".join(next_steps(entry, target, args.probe, quote, expect)))
    return 0


def _indented(data: Any, spaces: int) -> list[str]:
    return [" " * spaces + line for line in dump_yaml(data).splitlines()]


def next_steps(entry: CatalogEntry, target: Target, probe_id: str, quote: Quote, expect: dict[str, Any]) -> list[str]:
    """The expectation the quoted answer supports, ready to paste into the quirk's YAML, and what to run."""
    cell, file = entry.cell(target), shown(entry.expectations.path)
    probe = {probe_id: {"since": quote.source_date, "expect": expect}}
    lines = ["the quoted answer supports this expectation (keep only what the quirk is about):"]
    if cell.status == "checked":
        if probe_id in cell.probes:
            lines.append(f"replace cells.{target.id}.probes.{probe_id} in {file} with:")
        else:
            lines.append(f"paste under cells.{target.id}.probes in {file}:")
        lines += _indented(probe, 6)
        if quote.source not in cell.sources:
            lines.append(f"and add {quote.source} to cells.{target.id}.sources")
    else:
        block = {target.id: {"evidence": "reconstructed", "sources": [quote.source], "probes": probe}}
        lines += [f"replace cells.{target.id} ({cell.status}) in {file} with:", *_indented(block, 2)]
        applying = [p.id for p in entry.quirk.probes if not isinstance(p.build(target), NotApplicable)]
        others = ", ".join(p for p in applying if p != probe_id)
        if others:
            lines.append(f"and give the other probes that apply an entry (expect, or 'pending: why'): {others}")
    lines.append(f"next: quirks fmt --check && pytest {shown(entry.module)} -k {target.provider.name}")
    return lines
