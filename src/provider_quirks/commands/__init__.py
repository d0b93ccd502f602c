"""Sub-commands of ``quirks``. Each module has ``register(subparsers)`` setting ``handler``."""

from __future__ import annotations

from collections.abc import Iterable
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


def rewrite_or_check(files: Iterable[tuple[Path, str]], check: bool, differs: str, rewritten: str) -> int:
    """Files the suite generates (canonical YAML, schemas): write each that differs, or with ``check``
    only name it; exit 1 when ``check`` found one, so CI and tests catch a file nobody regenerated."""
    from provider_quirks.cassette import write_atomically

    changed = []
    for path, text in files:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check:
                write_atomically(path, text)
    for path in changed:
        print(f"{differs if check else rewritten}: {path}")
    return 1 if changed and check else 0


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
