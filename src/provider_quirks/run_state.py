"""What a live run learns as it goes, kept apart from what it was told (``settings.RunSettings``).

Per provider: its breaker, and the line said when nothing answered at its base URL, so that its
later cells stop at once. Per local target: the server this run started (where it listens, what
answers, the key it wants). The state is per process: see ``breaker`` for why that is enough under
xdist. A replay learns nothing; it runs with a fresh state that stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from provider_quirks.breaker import Breakers
from provider_quirks.providers import PROVIDERS
from provider_quirks.settings import RunSettings
from provider_quirks.targets import Target


@dataclass(frozen=True)
class StartedServer:
    """A local target this run started: its base URL, the key it wants (a gateway's), and what answers."""

    base_url: str
    api_key: str | None
    version: str


@dataclass
class RunState:
    breakers: Breakers
    #: breaker name -> the line said when nothing answered at its base URL.
    unreachable: dict[str, str] = field(default_factory=dict)
    #: target id -> the server this run started for it.
    started: dict[str, StartedServer] = field(default_factory=dict)

    @classmethod
    def for_run(cls, settings: RunSettings) -> RunState:
        return cls(Breakers(settings.transient_limit, settings.budget_seconds, settings.clock))

    def secrets(self, settings: RunSettings) -> list[str]:
        """Every key this run may send: the providers' from the environment, and started servers' own."""
        keys = [value for p in PROVIDERS.values() if (value := settings.environ.get(p.key_env))]
        return [*keys, *(server.api_key for server in self.started.values() if server.api_key)]

    def api_key(self, target: Target, settings: RunSettings) -> str | None:
        """The key a live request to ``target`` carries: a started server's own, else the provider's."""
        server = self.started.get(target.id)
        return (server.api_key if server else None) or target.provider.api_key(settings.environ)

    def base_url_override(self, target: Target, settings: RunSettings) -> str | None:
        """Where the target listens when not at its provider's base URL: a started server, or ``--target-base-url``."""
        server = self.started.get(target.id)
        return server.base_url if server else settings.base_urls.get(target.id)

    def server_version(self, target: Target, settings: RunSettings) -> str | None:
        """What answers at the target, when known: a started server's version, or ``--target-server-version``."""
        server = self.started.get(target.id)
        return server.version if server else settings.server_versions.get(target.id)
