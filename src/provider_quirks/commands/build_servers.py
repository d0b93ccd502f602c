"""``quirks build-servers``: build the two local OpenAI-compatible servers (see localserver/build.py)."""

from __future__ import annotations

import argparse
from typing import Any

from provider_quirks.localserver import build


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "build-servers",
        help="build llama-server, the llama-cpp-python server and a tiny model (cached)",
        add_help=False,
    )
    parser.set_defaults(handler=run, passthrough=True)  # its own options are parsed by build.main


def run(args: argparse.Namespace) -> int:
    return build.main(args.extra)
