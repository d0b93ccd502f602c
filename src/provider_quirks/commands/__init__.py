"""Sub-commands of ``quirks``. Each module has ``register(subparsers)`` setting ``handler``."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provider_quirks.catalog import CatalogEntry


class CommandError(Exception):
    """Bad input or an unusable file: printed as one line, exit status 2."""


def project_root(path: str | None) -> Path:
    """The folder holding ``quirks/`` and ``cassettes/``: ``--root``, else the current folder."""
    root = Path(path or ".").resolve()
    if not (root / "quirks").is_dir():
        raise CommandError(f"{root} has no quirks/ folder (run from the project root, or pass --root)")
    return root


def project_catalog(root: Path) -> list[CatalogEntry]:
    """Every quirk of the project with its expectations; each problem of every broken file is one line."""
    from provider_quirks.catalog import CatalogError, load_catalog

    try:
        return load_catalog(root / "quirks")
    except CatalogError as error:
        count = len(error.problems)
        raise CommandError(f"{count} problems in the catalog:\n{error}" if count > 1 else str(error)) from None


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
        schemas,
    )

    return [build_servers, fmt, inspect, listing, reconstruct, record_local, report, drift, accept, schemas]


COMMANDS = _commands()
