"""Outages end a live run in bounded time, without failing it and without touching a cassette.

The whole catalog is run live (``pytest quirks --record-mode=rewrite``, the plugin's defaults,
real waits) with every provider pointed at a loopback stand-in that answers 503 to everything,
then one that never answers. Each provider costs a few seconds, once, instead of every probe
retrying with backoff and every cell waiting out the timeout again.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from standin import HANG, Reply, StandIn
from tinyproject import PYTEST_INI, TARGETS, Project, live

from provider_quirks.providers import PROVIDERS

REPO = Path(__file__).resolve().parents[2]
KEYS = {name: f"outage-key-{name}-0123456789" for name, p in PROVIDERS.items() if p.key_required}
#: The local "-compatible" targets are servers of their own: each one gets a base URL and a breaker.
SERVERS = [f"{p.name}@{v.name}" for p in PROVIDERS.values() if p.one_server_per_variant for v in p.variants]
#: What an outage may cost: each breaker's three requests with 1 s + 2 s of backoff between them,
#: plus a fixed allowance for pytest and the catalog. (60 s in all when the catalog had 8 breakers;
#: it has one per hosted provider and per local server, so the bound grows with them, per breaker.)
BACKOFF_SECONDS_PER_BREAKER = 3
OVERHEAD_SECONDS = 30


@pytest.fixture
def catalog(tmp_path: Path) -> Project:
    copy = tmp_path / "catalog"
    for folder in ("quirks", "cassettes"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "pytest.ini").write_text(PYTEST_INI)
    return Project(copy, write=False)


def server_urls(stand_in: StandIn) -> list[str]:
    return [f"--target-base-url={target}={stand_in.base_url(target.partition('@')[0])}" for target in SERVERS]


def breaker_of(cell: dict[str, str]) -> str:
    return cell["target"] if PROVIDERS[cell["provider"]].one_server_per_variant else cell["provider"]


def test_a_503_only_outage_of_every_provider_ends_within_a_minute(catalog, stand_in):
    for behaviour in stand_in.behaviour.values():
        behaviour.always = Reply(503, {"error": {"message": "Service Unavailable"}})
    before = catalog.snapshot()
    started = time.monotonic()
    result = catalog.pytest(*live("run.json", *server_urls(stand_in)), env=stand_in.environ(KEYS), timeout=300)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:]  # an outage never fails the run
    bound = BACKOFF_SECONDS_PER_BREAKER * (len(KEYS) + len(SERVERS)) + OVERHEAD_SECONDS
    assert elapsed <= bound, f"the outage run took {elapsed:.1f} s (bound {bound} s)"
    assert catalog.snapshot() == before  # not one cassette written
    cells = catalog.results("run.json")["cells"]
    live_cells = [c for c in cells if c["status"] not in ("n/a", "skipped")]
    assert {c["status"] for c in live_cells} == {"inconclusive"}, [
        (c["quirk"], c["target"], c["reason"]) for c in live_cells if c["status"] != "inconclusive"
    ][:5]
    per_breaker = Counter(breaker_of(c) for c in live_cells)
    assert set(per_breaker) == {*KEYS, *SERVERS}
    for name, count in per_breaker.items():
        line = f"{name}: 503 on 3 requests in a row; its other {count - 1} cells were not sent"
        assert line in result.stdout, line
    # Three requests per breaker, and nothing else sent: 1 s + 2 s of backoff each.
    assert len(stand_in.seen) == 3 * len(per_breaker)
    print(f"\n503-only live run of the whole catalog: {elapsed:.1f} s, {len(stand_in.seen)} requests")


def test_a_provider_that_never_answers_costs_one_timeout(project, stand_in):
    project.add_twin("extra-field-twin")  # so that each provider has a second cell to spare
    for behaviour in stand_in.behaviour.values():
        behaviour.always = HANG
    before = project.snapshot()
    timeout = 2.0
    result = project.pytest(*live("run.json", "--quirks-timeout", f"{timeout:g}"), env=stand_in.environ(KEYS))
    assert result.returncode == 0, result.stdout
    assert project.snapshot() == before
    providers = {target.partition("@")[0] for target in TARGETS.values()}
    for provider in providers:
        line = f"{provider}: no answer within 2 s (--quirks-timeout); its other cell was not sent"
        assert line in result.stdout, line
        assert len(stand_in.requests_of(provider)) == 1  # not retried, its other cell not sent
    # The cost of each provider is one timeout: the run's own duration shows it.
    ran = float(re.findall(r"in ([\d.]+)s", result.stdout)[-1])
    assert ran <= len(providers) * 2 * timeout, result.stdout
    print(f"\n{len(providers)} providers that never answer, --quirks-timeout 2: {ran:.1f} s")


def test_the_drift_workflow_budget_fits_its_timeout():
    """Serially, every provider with a key in the job may take its budget and one timeout: that fits the job's limit."""
    job = yaml.safe_load((REPO / ".github" / "workflows" / "drift.yml").read_text())["jobs"]["live-refresh"]
    step = next(step for step in job["steps"] if step.get("id") == "live")
    assert not re.search(r"(^|\s)(-n|--numprocesses|--dist)(\s|=|$)", step["run"])  # serial: see the step's comment
    options = dict(re.findall(r"--(quirks-timeout|quirks-provider-budget) (\S+)", step["run"]))
    keys = [name for name in job["env"] if name.endswith("_API_KEY")]
    keyed = [provider for provider in PROVIDERS.values() if provider.key_required]
    assert {provider.key_env for provider in keyed} <= set(keys)
    # One breaker per provider, also where two share a key (OpenAI's chat and Responses APIs).
    worst = len(keyed) * (float(options["quirks-provider-budget"]) + float(options["quirks-timeout"]))
    other_steps = 5 * 60  # install, baseline, drift, report, upload
    assert worst + other_steps <= job["timeout-minutes"] * 60
    tox = (REPO / "tox.ini").read_text()
    live_command = next(line for line in tox.splitlines() if "--record-mode=rewrite" in line)
    assert f"--quirks-timeout {options['quirks-timeout']} " in live_command
    assert f"--quirks-provider-budget {options['quirks-provider-budget']} " in live_command
    assert not re.search(r"(^|\s)(-n|--numprocesses|--dist)(\s|=|$)", live_command)
