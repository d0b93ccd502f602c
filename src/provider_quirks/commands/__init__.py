"""Sub-commands of ``quirks``. Each module has ``register(subparsers)`` setting ``handler``."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType


class CommandError(Exception):
    """Bad input or an unusable file: printed as one line, exit status 2."""


def project_root(path: str | None) -> Path:
    """The folder holding ``quirks/`` and ``cassettes/``: ``--root``, else the current folder."""
    root = Path(path or ".").resolve()
    if not (root / "quirks").is_dir():
        raise CommandError(f"{root} has no quirks/ folder (run from the project root, or pass --root)")
    return root


def _commands() -> list[ModuleType]:
    from provider_quirks.commands import (
        accept,
        build_servers,
        drift,
        fmt,
        inspect,
        listing,
        reconstruct,
        record_local,
        report,
    )

    return [build_servers, fmt, inspect, listing, reconstruct, record_local, report, drift, accept]


COMMANDS = _commands()
