"""The catalog: every quirk module under ``quirks/`` with its expectation file, checked together.

Both the pytest plugin and the ``quirks`` command load the catalog through here, so the rules
are enforced in one place: every target of a quirk has an entry; every entry and default names a
real target and a real probe; a probe that does not apply to a target has no expectation there; an
expectation names only fields the observation has (``observed_fields``); and a cell's evidence level and
sources agree with its cassette's evidence block, which says where the bytes come from. Every
problem is reported at once, one line each (``problems``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from provider_quirks.cassette import CassetteError, load_cassette
from provider_quirks.expectations import CellExpectation, ExpectationError, ExpectationFile, load_expectations
from provider_quirks.observed_fields import Shape, misnamed
from provider_quirks.problems import FileProblems, LoadError, Problem, dotted, shown
from provider_quirks.providers import ConfigurationError
from provider_quirks.quirk import Quirk
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable


class CatalogError(LoadError):
    """Quirk modules or expectation files that contradict the catalog's rules, one line per problem."""


@dataclass(frozen=True)
class CatalogEntry:
    quirk: Quirk
    module: Path
    expectations: ExpectationFile

    def targets(self) -> list[Target]:
        return [self.quirk.resolve(target_id) for target_id in self.quirk.targets]

    def cell(self, target: Target) -> CellExpectation:
        """The target's entry in the expectation file; a target the file does not list yet is pending.

        So a new provider's cells start out pending, saying why, without touching any quirk file.
        """
        listed = self.expectations.cells.get(target.id)
        if listed is not None:
            return listed
        return CellExpectation(
            target.id, "pending", reason=f"no evidence yet: {target.id} is not in {self.expectations.path.name}"
        )


def cassette_path(cassette_dir: Path, quirk_id: str, target: Target) -> Path:
    """Where a cell's evidence lives: ``cassettes/<quirk>/<target>.yaml``."""
    return cassette_dir / quirk_id / f"{target.id}.yaml"


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
            raise CatalogError([Problem(path, "cannot import")])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception:
            del sys.modules[name]
            raise
    quirk = getattr(module, "QUIRK", None)
    if not isinstance(quirk, Quirk):
        raise CatalogError([Problem(path, "defines no QUIRK = Quirk(...)")])
    return quirk


def load_entry(module: Path, cassette_dir: Path | None = None, check_cassettes: bool = True) -> CatalogEntry:
    """One quirk with its expectations, checked; every problem of its files in one CatalogError.

    ``cassette_dir`` defaults to ``cassettes/`` beside ``quirks/``. A live run passes
    ``check_cassettes=False``: it is about to rewrite them.
    """
    quirk = load_module_quirk(module)
    expectation_path = module.with_suffix(".yaml")
    if not expectation_path.exists():
        raise CatalogError([Problem(module, f"expectation file {expectation_path.name} is missing")])
    try:
        expectations = load_expectations(expectation_path)
    except ExpectationError as error:
        raise CatalogError(error.problems) from None
    entry = CatalogEntry(quirk, module, expectations)
    cassettes = cassette_dir if cassette_dir is not None else module.parent.parent / "cassettes"
    problems = check_entry(entry, cassettes if check_cassettes else None)
    if problems:
        raise CatalogError(problems)
    return entry


def check_entry(entry: CatalogEntry, cassette_dir: Path | None) -> list[Problem]:
    """Cross-check an expectation file against its quirk (and the cells' cassettes, when given)."""
    quirk = entry.quirk
    if entry.module.stem != quirk.id.replace("-", "_"):
        return [Problem(entry.module, f"declares quirk {quirk.id!r}; name the module after it")]
    problems = entry.expectations.problems()
    if entry.expectations.quirk != quirk.id:
        problems.add(("quirk",), f"names quirk {entry.expectations.quirk!r}, the module declares {quirk.id!r}")
    try:
        targets = entry.targets()
    except ConfigurationError as error:
        return [*problems.found, Problem(entry.module, str(error))]
    declared = [t.id for t in targets]
    listed = entry.expectations.cells
    for unknown in (target for target in listed if target not in declared):
        problems.add(("cells", unknown), f"not a target of quirk {quirk.id} (targets: {', '.join(declared)})")
    shape = quirk.observed_fields()
    _check_defaults(entry, shape, problems)
    for target in (t for t in targets if t.id in listed):
        _check_cell(entry, target, shape, problems)
        if cassette_dir is not None:
            _check_evidence(entry, target, cassette_path(cassette_dir, quirk.id, target), problems)
    return problems.found


def _check_defaults(entry: CatalogEntry, shape: Shape, problems: FileProblems) -> None:
    """Each default names a probe of the quirk, with fields the observation has."""
    quirk, probe_ids = entry.quirk, [probe.id for probe in entry.quirk.probes]
    for probe_id, expect in entry.expectations.defaults.items():
        if probe_id not in probe_ids:
            problems.add(("defaults", probe_id), f"quirk {quirk.id} has no such probe (probes: {', '.join(probe_ids)})")
            continue
        for key, message in misnamed(expect, shape):
            problems.add(("defaults", probe_id, "expect", *key), message)


def _check_cell(entry: CatalogEntry, target: Target, shape: Shape, problems: FileProblems) -> None:
    """Every probe entry names a probe that applies here, with fields the observation has."""
    quirk, cell, at = entry.quirk, entry.cell(target), ("cells", target.id, "probes")
    probe_ids = [probe.id for probe in quirk.probes]
    for probe_id in (p for p in cell.probes if p not in probe_ids):
        problems.add((*at, probe_id), f"quirk {quirk.id} has no such probe (probes: {', '.join(probe_ids)})")
    if cell.status != "checked":
        return
    missing = []
    for probe in quirk.probes:
        expectation = cell.probes.get(probe.id)
        applies = not isinstance(probe.build(target), NotApplicable)
        if applies and expectation is None:
            missing.append(probe.id)
        elif not applies and expectation is not None and expectation.status != "n/a":
            problems.add((*at, probe.id), "the probe does not apply here (write 'n/a: why' or remove the entry)")
        elif expectation is not None and expectation.expect not in (None, entry.expectations.defaults.get(probe.id)):
            for key, message in misnamed(expectation.expect, shape):  # a default's are reported once, above
                problems.add((*at, probe.id, "expect", *key), message)
    if missing:
        problems.add(at, f"missing {', '.join(missing)} (write expect, 'pending: why' or 'n/a: why')")


def _check_evidence(entry: CatalogEntry, target: Target, path: Path, problems: FileProblems) -> None:
    """The cell's evidence level is its cassette's, and it lists every source the cassette quotes."""
    cell = entry.cell(target)
    if cell.status != "checked" or not path.is_file():
        return
    try:
        cassette = load_cassette(path)
    except CassetteError as error:
        problems.found.append(error.problem)
        return
    # Imported here: pydantic loads when a cassette is checked, not with the plugin.
    from provider_quirks.formats import cassette_errors

    notes = [interaction.evidence for interaction in cassette.interactions]
    for key, message in cassette_errors(cassette.metadata, notes):
        problems.found.append(Problem(path, message, dotted(key)))
    level = cassette.evidence.get("level")
    if level != cell.evidence:
        recorded = level == "recorded"
        hint = " (a live recording replaced the quoted answers: write evidence: recorded)" if recorded else ""
        problems.add(
            ("cells", target.id, "evidence"),
            f"{cell.evidence!r}, but {shown(path)} holds {level!r} evidence (metadata.evidence.level): "
            f"make them agree{hint}",
        )
    quoted = [str(s.get("url")) for s in cassette.evidence.get("sources") or [] if isinstance(s, Mapping)]
    quoted += [str(i.evidence["source"]) for i in cassette.interactions if i.evidence and i.evidence.get("source")]
    for url in dict.fromkeys(url for url in quoted if url not in cell.sources):
        problems.add(("cells", target.id, "sources"), f"{shown(path)} quotes {url}, which is not listed here")


def load_catalog(quirks_dir: Path, cassette_dir: Path | None = None) -> list[CatalogEntry]:
    """Every quirk, in file order; every problem of every file in one CatalogError."""
    if not quirks_dir.is_dir():
        raise CatalogError([Problem(quirks_dir, "no quirks folder (run from the project root, or pass --root)")])
    entries = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for module in quirk_modules(quirks_dir):
        try:
            entry = load_entry(module, cassette_dir)
        except CatalogError as error:
            problems += error.problems
            continue
        if entry.quirk.id in seen:
            problems.append(Problem(module, f"quirk id {entry.quirk.id!r} is also declared in {seen[entry.quirk.id]}"))
        seen[entry.quirk.id] = module
        entries.append(entry)
    if problems:
        raise CatalogError(problems)
    return entries
