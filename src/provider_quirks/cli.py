"""The ``quirks`` command: one sub-command per module under ``commands/``.

Every command turns bad input into one clear line on stderr and a non-zero exit; tracebacks are
for bugs only.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from provider_quirks import __version__
from provider_quirks.commands import COMMANDS, CommandError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quirks", description="Executable quirks of LLM provider HTTP APIs.")
    parser.add_argument("--version", action="version", version=f"provider-quirks {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # a reader that went away shows here, not as an ignored exception at exit
        return code
    except BrokenPipeError:
        # `quirks inspect … | head`: the reader had what it wanted. Files written before are complete.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # as a shell reports a process ended by SIGPIPE
    except CommandError as error:
        print(f"quirks {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"quirks {args.command}: interrupted; files already written are complete", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
