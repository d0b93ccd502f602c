"""The pytest plugin: each quirk module becomes one test per target, and every run writes results.

Collection: ``quirks/<name>.py`` declares ``QUIRK``; its cells (quirk × target) are collected as
``quirks/<name>.py::<quirk-id>[<target>]``, so ``-k`` selects by quirk, provider or target.
Outcomes map onto pytest's: ``holds`` passes, ``drift`` fails naming the cell with expected
and observed, and ``pending``, ``n/a``, ``inconclusive`` and ``skipped`` are skips whose reason
starts with the status. The exact status of every cell goes to the results file. A quirk whose
files do not load is one failing ``load-errors`` item listing every problem, so that the other
quirks still run and a mistake never reads as ``drift``.

Installed into other projects' environments, it acts on quirk cells only: a replayed cell is
guarded from the network while it runs (not the session), and a record mode cells cannot honour
is refused only once cells are collected (``tests/test_plugin_inert.py``).

Over 300 lines because pytest's hooks for one plugin belong together (options, collection,
items, results): the cell logic itself lives in ``runner``.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_recording import network

from provider_quirks.breaker import breaker_name, summary_lines
from provider_quirks.catalog import CatalogEntry, CatalogError, load_entry, load_module_quirk
from provider_quirks.providers import PROVIDERS, ConfigurationError
from provider_quirks.results import STATUSES, CellResult, write_results
from provider_quirks.run_state import RunState
from provider_quirks.runner import run_cell
from provider_quirks.sending import MissingInteraction, ProviderUnreachable
from provider_quirks.settings import LOOPBACK_HOSTS, RunSettings
from provider_quirks.targets import Target

if TYPE_CHECKING:  # pytest's own return type for repr_failure (not exported by pytest); a lazy layer
    from _pytest._code.code import TerminalRepr

    from provider_quirks.localserver.targets import LocalProcesses


CELL_PROPERTY = "quirk_cell"
#: Where a replayed cell may still connect (the harness's own stand-ins): pytest-recording's
#: host patterns, anchored so that a name such as ``localhost.example.com`` does not pass.
UNSUPPORTED_RECORD_MODE = "quirk cells record with --record-mode=rewrite (or replay with none)"
settings_key = pytest.StashKey[RunSettings]()
state_key = pytest.StashKey[RunState]()
providers_key = pytest.StashKey["set[str] | None"]()
refused_key = pytest.StashKey[bool]()


class QuirkDrift(Exception):
    """A cell whose observed answer contradicts its expectation."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("quirks", "provider-quirks")
    group.addoption(
        "--providers",
        default=None,
        help="comma-separated providers or targets to run, e.g. mistral,openai_compatible@llama-server (default: all)",
    )
    group.addoption(
        "--quirks-results",
        default=".quirks/results.json",
        help="where the run's results file is written (default: .quirks/results.json)",
    )
    group.addoption("--cassette-dir", default=None, help="cassette folder (default: <rootdir>/cassettes)")
    group.addoption(
        "--target-base-url",
        action="append",
        default=[],
        metavar="TARGET=URL",
        help="base URL for one target in a live run, e.g. openai_compatible@vllm=http://127.0.0.1:8000/v1",
    )
    group.addoption(
        "--local-servers",
        action="store_true",
        help="live runs: start the built llama-server and llama-cpp-python on loopback for their targets",
    )
    group.addoption(
        "--target-server-version",
        action="append",
        default=[],
        metavar="TARGET=VERSION",
        help="server name and version recorded in the cassettes of a target (local servers)",
    )
    group.addoption(
        "--quirks-timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="live runs: how long to wait for a connection and for each read of an answer; "
        "a request with no answer in time stops its provider (default: 30)",
    )
    group.addoption(
        "--quirks-provider-budget",
        type=_seconds,
        default=240.0,
        metavar="SECONDS",
        help="live runs: wall-clock seconds one provider may take from its first request; "
        "then its remaining cells are inconclusive, not sent (default: 240)",
    )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {value!r}")
    return seconds


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        target, sep, setting = value.partition("=")
        if not sep or not setting:
            raise pytest.UsageError(f"{option} takes TARGET=VALUE, got {value!r}")
        pairs[target] = setting
    return pairs


def _selection(option: str) -> set[str]:
    """Provider names and target ids from ``--providers``, each checked against the providers and SDK clients."""
    from provider_quirks.sdk.clients import SDK_TARGETS  # only when asked: the SDK layer is optional

    sdk_names = {target.partition("@")[0] for target in SDK_TARGETS}
    known = [*PROVIDERS, *sorted(sdk_names)]
    selected = {name.strip() for name in option.split(",") if name.strip()}
    for name in selected:
        provider_name, _, variant = name.partition("@")
        if provider_name not in known:
            raise pytest.UsageError(f"--providers: unknown provider {provider_name!r}; known: {', '.join(known)}")
        if variant and provider_name in sdk_names and name not in SDK_TARGETS:
            raise pytest.UsageError(f"--providers: unknown SDK client {name!r}; known: {', '.join(SDK_TARGETS)}")
        if variant and provider_name in PROVIDERS:
            try:
                PROVIDERS[provider_name].variant(variant)
            except ConfigurationError as error:
                raise pytest.UsageError(f"--providers: {error}") from None
    return selected


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "quirk_cell: a quirk checked on one target (collected from quirks/)")
    config.addinivalue_line("markers", "xdist_group(name): cells of one provider run serially under --dist loadgroup")
    live = config.getoption("--record-mode", default=None) == "rewrite"
    providers = config.getoption("--providers")
    selected = _selection(providers) if providers else None
    root = Path(config.rootpath)
    cassette_dir = config.getoption("--cassette-dir")
    config.stash[providers_key] = selected
    config.pluginmanager.register(ResultsCollector(config), "provider-quirks-results")
    config.stash[settings_key] = RunSettings(
        live=live,
        cassette_dir=Path(cassette_dir).resolve() if cassette_dir else root / "cassettes",
        root=root,
        base_urls=_pairs(config.getoption("--target-base-url"), "--target-base-url"),
        server_versions=_pairs(config.getoption("--target-server-version"), "--target-server-version"),
        selected=frozenset(selected) if selected else None,
        timeout_seconds=config.getoption("--quirks-timeout"),
        budget_seconds=config.getoption("--quirks-provider-budget"),
    )
    config.stash[state_key] = RunState.for_run(config.stash[settings_key])


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".py" or file_path.name.startswith("_") or file_path.name == "conftest.py":
        return None
    if file_path.parent != Path(parent.config.rootpath) / "quirks" or not is_quirk_module(file_path):
        return None
    return QuirkFile.from_parent(parent, path=file_path)


def is_quirk_module(path: Path) -> bool:
    """A module with an expectation file beside it, or one that declares ``QUIRK``.

    Another project may have a ``quirks/`` folder of its own: its modules are not ours to collect.
    A quirk module whose YAML is missing is still collected, so that its load error says so.
    """
    if path.with_suffix(".yaml").is_file():
        return True
    try:
        return re.search(r"^QUIRK\s*[:=]", path.read_text(encoding="utf-8"), re.MULTILINE) is not None
    except (OSError, UnicodeDecodeError):
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A live run sends one provider's cells after the other, so that its budget counts its own requests.

    Collected in catalog order, the cells of a quirk go to every provider in turn: run serially,
    each provider's wall-clock budget would run over the whole run. Only the cells move, among
    the places they hold; any other item keeps its place.
    """
    if not config.stash[settings_key].live:
        return
    places = [index for index, item in enumerate(items) if isinstance(item, CellItem)]
    cells = [item for item in items if isinstance(item, CellItem)]
    first_seen: dict[str, int] = {}
    for cell in cells:
        first_seen.setdefault(breaker_name(cell.target), len(first_seen))
    in_turn = sorted(cells, key=lambda cell: first_seen[breaker_name(cell.target)])
    for index, cell in zip(places, in_turn, strict=True):
        items[index] = cell


class QuirkFile(pytest.File):
    """One quirk module and its expectation file."""

    def collect(self) -> Iterator[pytest.Item]:
        if self.config.getoption("--record-mode", default=None) not in (None, "none", "rewrite"):
            # Refused here, not at startup: a session without quirk cells keeps every record mode.
            # One error says it; the other quirk files then yield no cell.
            if not self.config.stash.get(refused_key, False):
                self.config.stash[refused_key] = True
                raise self.CollectError(UNSUPPORTED_RECORD_MODE)
            return
        settings = self.config.stash[settings_key]
        try:
            entry = load_entry(self.path, settings.cassette_dir, check_cassettes=not settings.live)
        except (CatalogError, ConfigurationError) as error:
            # A failing item, not a collection error: that would interrupt the session, and one
            # broken file must not stop the other quirks. The run still fails, one line per problem.
            yield BrokenQuirk.from_parent(self, name="load-errors", error=error)
            return
        selected = self.config.stash[providers_key]
        for target in entry.targets():
            if selected is None or target.provider.name in selected or target.id in selected:
                yield CellItem.from_parent(self, name=f"{entry.quirk.id}[{target.id}]", entry=entry, target=target)


class BrokenQuirk(pytest.Item):
    """A quirk whose files do not load: fails with every problem, one line each."""

    def __init__(self, *, error: Exception, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error
        try:  # `-k mistral` still selects it when the quirk itself imports
            quirk_targets = load_module_quirk(self.path).targets
        except Exception:  # the module is what is broken: its failure is in `error`
            quirk_targets = ()
        self.extra_keyword_matches.update(target_id.partition("@")[0] for target_id in quirk_targets)

    def runtest(self) -> None:
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}: load errors"


class CellItem(pytest.Item):
    """One cell. Runs through the shared runner; the status decides the pytest outcome."""

    def __init__(self, *, entry: CatalogEntry, target: Target, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entry = entry
        self.target = target
        self.add_marker("quirk_cell")
        # For --dist loadgroup (which does not group with pytest-xdist 3.8, issue #1386: the
        # drift workflow runs serially).
        self.add_marker(pytest.mark.xdist_group(name=target.provider.name))
        self.keywords[target.provider.name] = True  # `-k mistral` selects a provider

    def runtest(self) -> None:
        settings, state = self.config.stash[settings_key], self.config.stash[state_key]
        if settings.live and self.config.getoption("--local-servers"):
            start_local_server(self.config, self.target, settings, state)
        if settings.live:
            try:
                result = run_cell(self.entry, self.target, settings, state)
            except ProviderUnreachable as error:
                if error.result is not None:  # listed as inconclusive, and the run fails with one line
                    self.user_properties.append((CELL_PROPERTY, json.dumps(error.result.to_json())))
                raise
        else:
            with network.blocking_context(allowed_hosts=LOOPBACK_HOSTS):
                result = run_cell(self.entry, self.target, settings, state)
        self.user_properties.append((CELL_PROPERTY, json.dumps(result.to_json())))
        if result.status == "drift":
            raise QuirkDrift(_drift_message(result))
        if result.status != "holds":
            reason = f"{result.status}: {result.reason or ''}".rstrip(": ")
            raise pytest.skip.Exception(reason, _use_item_location=True)  # report the cell, not this line

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, (QuirkDrift, MissingInteraction, ConfigurationError)):
            return f"{self.entry.quirk.id}[{self.target.id}]: {excinfo.value}"
        # Any other error is a bug to read: its traceback starts at this cell, not in pytest's runner,
        # and the summary line names the exception (as for a test function).
        runtest = CellItem.runtest.__code__
        if not self.config.getoption("fulltrace"):
            first_line = runtest.co_firstlineno - 1  # pytest counts from 0
            excinfo.traceback = excinfo.traceback.cut(path=runtest.co_filename, firstlineno=first_line)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"{self.entry.quirk.id}[{self.target.id}]"


def start_local_server(config: pytest.Config, target: Target, settings: RunSettings, state: RunState) -> None:
    """Start the target's local server (and gateway) once per session; stopped at exit, also on failure."""
    from provider_quirks.localserver.gateway import GatewayUnavailableError
    from provider_quirks.localserver.targets import LOCAL_TARGETS, LocalProcesses, LocalServerError

    if target.id not in LOCAL_TARGETS or state.base_url_override(target, settings) is not None:
        return
    processes = config.stash.get(local_servers_key, None)
    if processes is None:
        processes = config.stash[local_servers_key] = LocalProcesses()
        config.add_cleanup(processes.close)
    try:
        state.started[target.id] = processes.reach(target.id)
    except (LocalServerError, GatewayUnavailableError) as error:
        raise pytest.UsageError(f"--local-servers: {error}") from None


local_servers_key: pytest.StashKey[LocalProcesses] = pytest.StashKey()


def _drift_message(result: CellResult) -> str:
    lines = [f"drift: {result.quirk} on {result.target} no longer behaves as expected"]
    for probe in result.probes:
        if probe.status == "drift":
            lines.append(f"  probe {probe.probe}:")
            lines += [f"    {m.split(': ', 1)[1]}" for m in probe.mismatches]
    if result.cassette:
        lines.append(f"  cassette: {result.cassette}")
    return "\n".join(lines)


class ResultsCollector:
    """Gathers cell results (from xdist workers too) and writes the results file once."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.cells: list[CellResult] = []
        self.written: Path | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == CELL_PROPERTY and report.when == "call":
                self.cells.append(CellResult.from_json(json.loads(str(value))))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(self.config, "workerinput") or not self.cells:
            return  # xdist workers report to the controller, which writes the file
        path = Path(self.config.getoption("--quirks-results"))
        if not path.is_absolute():
            path = Path(self.config.invocation_params.dir) / path
        write_results(path, self.cells, mode="live" if self.config.stash[settings_key].live else "replay")
        self.written = path

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.cells:
            return
        per_provider: dict[str, Counter[str]] = {}
        for cell in self.cells:
            per_provider.setdefault(cell.provider, Counter())[cell.status] += 1
        terminalreporter.section("provider-quirks")
        for provider, counts in sorted(per_provider.items()):
            summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
            terminalreporter.write_line(f"{provider:<18} {summary}")
        kept = sum(1 for c in self.cells if c.status == "inconclusive")
        if kept:
            terminalreporter.write_line(f"{kept} inconclusive cell(s): their cassettes were kept as they were")
        for line in summary_lines(self.cells):  # a provider stopped by its breaker or budget
            terminalreporter.write_line(line)
        if self.written:
            terminalreporter.write_line(f"results: {self.written}")
