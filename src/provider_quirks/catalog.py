"""The catalog: every quirk module under ``quirks/`` with its expectation file, checked together.

Both the pytest plugin and the ``quirks`` command load the catalog through here, so the rules
(every target of a quirk has an entry; every entry names a real target and a real probe; a
probe that does not apply to a target has no expectation there) are enforced in one place.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from provider_quirks.expectations import CellExpectation, ExpectationError, ExpectationFile, load_expectations
from provider_quirks.providers import ConfigurationError
from provider_quirks.quirk import Quirk
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable


class CatalogError(Exception):
    """A quirk module or expectation file that contradicts the catalog's rules."""


@dataclass(frozen=True)
class Entry:
    quirk: Quirk
    module: Path
    expectations: ExpectationFile

    def targets(self) -> list[Target]:
        return [self.quirk.resolve(target_id) for target_id in self.quirk.targets]

    def cell(self, target: Target) -> CellExpectation:
        return self.expectations.cells[target.id]


def quirk_modules(quirks_dir: Path) -> list[Path]:
    return sorted(p for p in quirks_dir.glob("*.py") if not p.name.startswith("_") and p.name != "conftest.py")


def load_module_quirk(path: Path) -> Quirk:
    """Import ``quirks/<name>.py`` by path and return its ``QUIRK``."""
    name = f"provider_quirks_catalog.{path.stem}"
    if name in sys.modules:
        module = sys.modules[name]
    else:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise CatalogError(f"{path}: cannot import")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception:
            del sys.modules[name]
            raise
    quirk = getattr(module, "QUIRK", None)
    if not isinstance(quirk, Quirk):
        raise CatalogError(f"{path}: defines no QUIRK = Quirk(...)")
    return quirk


def load_entry(module: Path) -> Entry:
    quirk = load_module_quirk(module)
    expectation_path = module.with_suffix(".yaml")
    if not expectation_path.exists():
        raise CatalogError(f"{module}: expectation file {expectation_path.name} is missing")
    expectations = load_expectations(expectation_path)
    entry = Entry(quirk, module, expectations)
    check_entry(entry)
    return entry


def check_entry(entry: Entry) -> None:
    """Cross-check an expectation file against its quirk; raise naming the file and entry."""
    where = entry.expectations.path
    quirk = entry.quirk
    if entry.module.stem != quirk.id.replace("-", "_"):
        raise CatalogError(f"{entry.module}: declares quirk {quirk.id!r}; name the module after it")
    if entry.expectations.quirk != quirk.id:
        raise CatalogError(f"{where}: names quirk {entry.expectations.quirk!r}, module declares {quirk.id!r}")
    try:
        targets = entry.targets()
    except ConfigurationError as error:
        raise CatalogError(f"{entry.module}: {error}") from None
    declared = {t.id for t in targets}
    listed = set(entry.expectations.cells)
    for unknown in sorted(listed - declared):
        raise CatalogError(f"{where}: cells.{unknown}: not a target of quirk {quirk.id} (targets: {sorted(declared)})")
    for missing in sorted(declared - listed):
        raise CatalogError(f"{where}: cells.{missing}: missing (write expectations, 'pending: why' or 'n/a: why')")
    probe_ids = {probe.id for probe in quirk.probes}
    for target in targets:
        cell = entry.cell(target)
        for probe_id in cell.probes:
            if probe_id not in probe_ids:
                raise CatalogError(f"{where}: cells.{target.id}.probes.{probe_id}: quirk {quirk.id} has no such probe")
        if cell.state != "checked":
            continue
        for probe in quirk.probes:
            applies = not isinstance(probe.build(target), NotApplicable)
            if applies and probe.id not in cell.probes:
                raise CatalogError(f"{where}: cells.{target.id}.probes.{probe.id}: missing (expect, pending or n/a)")
            if not applies and probe.id in cell.probes and cell.probes[probe.id].state != "n/a":
                raise CatalogError(f"{where}: cells.{target.id}.probes.{probe.id}: the probe does not apply here")


def load_catalog(quirks_dir: Path) -> list[Entry]:
    """Every quirk, in file order; the first broken entry raises CatalogError."""
    if not quirks_dir.is_dir():
        raise CatalogError(f"{quirks_dir}: no quirks folder (run from the project root, or pass --root)")
    entries = []
    seen: dict[str, Path] = {}
    for module in quirk_modules(quirks_dir):
        try:
            entry = load_entry(module)
        except ExpectationError as error:
            raise CatalogError(str(error)) from None
        if entry.quirk.id in seen:
            raise CatalogError(f"{module}: quirk id {entry.quirk.id!r} is also declared in {seen[entry.quirk.id]}")
        seen[entry.quirk.id] = module
        entries.append(entry)
    return entries
