"""What one run is told (live or replay, folders, base URLs, timeouts) and the live run's state.

Shared by the runner, which runs cells, and ``sending``, which sends their requests.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from provider_quirks.breaker import Breakers
from provider_quirks.providers import PROVIDERS
from provider_quirks.targets import Target

#: Where a replay may still connect: the harness's own stand-in servers on this machine.
LOOPBACK_HOSTS = [r"127\.0\.0\.1\Z", r"localhost\Z", r"::1\Z"]


@dataclass
class RunSettings:
    """One run's settings, and the live run's state per provider (its breaker, a base URL where nothing answers).

    The state is per process: see ``breaker`` for why that is enough under xdist.
    """

    live: bool
    cassette_dir: Path
    root: Path
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    base_urls: dict[str, str] = field(default_factory=dict)
    server_versions: dict[str, str] = field(default_factory=dict)
    #: target id -> the key of a server this run started (LiteLLM's per-run master key).
    api_keys: dict[str, str] = field(default_factory=dict)
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
    #: breaker name -> the line said when nothing answered at its base URL; later cells fail at once.
    dead_base_urls: dict[str, str] = field(default_factory=dict)
    breakers: Breakers = field(init=False)

    def __post_init__(self) -> None:
        self.breakers = Breakers(self.transient_limit, self.budget_seconds, self.clock)

    def secrets(self) -> list[str]:
        keys = [value for p in PROVIDERS.values() if (value := self.environ.get(p.key_env))]
        return [*keys, *self.api_keys.values()]

    def api_key(self, target: Target) -> str | None:
        """The key a live request to ``target`` carries: a started server's own, else the provider's."""
        return self.api_keys.get(target.id) or target.provider.api_key(self.environ)
