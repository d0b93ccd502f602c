"""Which local process answers each local target, and where its API's paths start.

llama-server serves three APIs (chat completions, Anthropic Messages, Responses), and LiteLLM's
proxy serves the same three in front of it, so seven targets share at most three processes per
run: each server kind and the gateway start once, on first use.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field

from provider_quirks.localserver.build import BUILD_COMMAND, built_servers
from provider_quirks.localserver.gateway import RunningGateway, running_gateway
from provider_quirks.localserver.process import RunningServer, ServerKind, running_server
from provider_quirks.run_state import StartedServer


@dataclass(frozen=True)
class LocalTarget:
    """How to reach one local target."""

    #: The built server that answers (directly, or behind the gateway).
    server: ServerKind
    #: LiteLLM's proxy stands in front of the server.
    via_gateway: bool = False
    #: The provider's paths start after ``/v1`` (``/chat/completions``, ``/responses``); the
    #: Anthropic API's own paths include it (``/v1/messages``).
    under_v1: bool = True


LOCAL_TARGETS: dict[str, LocalTarget] = {
    "openai_compatible@llama-server": LocalTarget("llama-server"),
    "openai_compatible@llama-cpp-python": LocalTarget("llama-cpp-python"),
    "openai_compatible@litellm": LocalTarget("llama-server", via_gateway=True),
    "anthropic_compatible@llama-server": LocalTarget("llama-server", under_v1=False),
    "anthropic_compatible@litellm": LocalTarget("llama-server", via_gateway=True, under_v1=False),
    "responses_compatible@llama-server": LocalTarget("llama-server"),
    "responses_compatible@litellm": LocalTarget("llama-server", via_gateway=True),
}


class LocalServerError(Exception):
    """A local target that cannot be started here: one line, with the command that fixes it."""


@dataclass
class LocalProcesses:
    """The processes of one run, started on first use and stopped by ``close``."""

    stack: ExitStack = field(default_factory=ExitStack)
    servers: dict[ServerKind, RunningServer] = field(default_factory=dict)
    gateway: RunningGateway | None = None

    def reach(self, target_id: str) -> StartedServer:
        local = LOCAL_TARGETS[target_id]
        server = self._server(local.server)
        if not local.via_gateway:
            return StartedServer(
                server.base_url if local.under_v1 else server.origin, None, f"{local.server} {server.version}"
            )
        if self.gateway is None:
            self.gateway = self.stack.enter_context(running_gateway(server))
        gateway = self.gateway
        base = gateway.base_url if local.under_v1 else gateway.origin
        return StartedServer(base, gateway.api_key, f"litellm {gateway.version} -> {local.server} {server.version}")

    def _server(self, kind: ServerKind) -> RunningServer:
        if kind not in self.servers:
            paths = built_servers()
            if paths is None:
                raise LocalServerError(f"the local servers are not built; run: {BUILD_COMMAND}")
            self.servers[kind] = self.stack.enter_context(running_server(kind, paths))
        return self.servers[kind]

    def close(self) -> None:
        self.stack.close()
