"""``quirks schemas``: write the JSON Schema files of the suite's formats to ``docs/schemas/``.

The files are generated from the models in ``formats``, so other tools can validate expectations,
cassettes, results and the report without this package. ``--check`` exits 1 when a committed file
differs from what the models give (a test runs it), so a changed model cannot ship a stale schema.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from provider_quirks.cassette import write_atomically
from provider_quirks.commands import project_root

#: Where the schema files live, relative to the project root.
SCHEMA_DIR = Path("docs") / "schemas"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("schemas", help="write docs/schemas/*.schema.json from the format models")
    parser.add_argument("--check", action="store_true", help="only report schema files that are stale (exit 1)")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from provider_quirks.formats import SCHEMAS, schema_text

    folder = project_root(args.root) / SCHEMA_DIR
    stale = []
    for name, model in SCHEMAS.items():
        path, text = folder / name, schema_text(model)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                write_atomically(path, text)
    verb = "stale" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if stale and args.check else 0
