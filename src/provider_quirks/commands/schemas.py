"""``quirks schemas``: write the JSON Schema files of the suite's formats to ``docs/schemas/``.

The files are generated from the models in ``formats``, so other tools can validate expectations,
cassettes, results and the report without this package. ``--check`` exits 1 when a committed file
differs from what the models give (a test runs it), so a changed model cannot ship a stale schema.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from provider_quirks.commands import project_root, rewrite_or_check

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
    files = [(folder / name, schema_text(model)) for name, model in SCHEMAS.items()]
    return rewrite_or_check(files, args.check, differs="stale", rewritten="written")
