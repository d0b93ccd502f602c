"""What one run is told: live or replay, folders, base URLs, timeouts, the selected providers.

Shared by the runner, which runs cells, and ``sending``, which sends their requests. It never
changes during a run; what a live run learns as it goes is ``run_state.RunState``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Where a replay may still connect: the harness's own stand-in servers on this machine.
LOOPBACK_HOSTS = [r"127\.0\.0\.1\Z", r"localhost\Z", r"::1\Z"]


@dataclass(frozen=True)
class RunSettings:
    """One run's settings, from the command line and the environment."""

    live: bool
    cassette_dir: Path
    root: Path
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    #: ``--target-base-url``: target id -> where it listens.
    base_urls: Mapping[str, str] = field(default_factory=dict)
    #: ``--target-server-version``: target id -> what answers there.
    server_versions: Mapping[str, str] = field(default_factory=dict)
    #: Attempts at one probe; a provider's breaker (``transient_limit``) may stop it sooner.
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    #: The cap on one wait, ``retry-after`` included.
    max_wait_seconds: float = 30.0
    #: ``--quirks-timeout``: for the connection and for each read of the answer.
    timeout_seconds: float = 30.0
    #: Transient answers in a row that stop a provider for the rest of the run.
    transient_limit: int = 3
    #: ``--quirks-provider-budget``: wall-clock seconds a provider may take, from its first request.
    budget_seconds: float = 240.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    #: What ``--providers`` selected (provider names and target ids); None: everything.
    selected: frozenset[str] | None = None
