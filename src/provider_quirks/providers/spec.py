"""What the suite needs to know about one provider, as data, and the mechanism that uses it.

A provider is declared once (``providers/definitions.py``): where it lives, how it
authenticates, which dialect it speaks, its variants (models or API versions), and only where it
differs from its dialect (error shapes, the minimal request). The format itself is the
dialect's (``provider_quirks.dialects``); everything else is shared.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from provider_quirks.dialects import WireDialect
from provider_quirks.envelopes import EnvelopeReader
from provider_quirks.wire import WireRequest

#: Hosts of the placeholder URLs that stand for providers without one public base URL (Azure, local servers).
REPLAY_DOMAIN = "replay.invalid"

#: Statuses that say "try again later", not "this is the provider's answer".
DEFAULT_TRANSIENT = frozenset({408, 429, 500, 502, 503, 504, 529})


class ConfigurationError(Exception):
    """A setting the user must fix (unknown provider, missing base URL): one clear line."""


@dataclass(frozen=True)
class Variant:
    """What distinguishes targets of one provider: a model, an API version, a server."""

    name: str
    model: str
    api_version: str | None = None
    notes: str = ""
    reasoning: bool = False


@dataclass(frozen=True)
class Provider:
    """Declarative description of one HTTP API."""

    name: str
    title: str
    dialect: WireDialect
    base_url_env: str
    default_base_url: str | None
    key_env: str
    variants: tuple[Variant, ...]
    #: A local server may run without a key; every hosted API requires one.
    key_required: bool = True
    #: Where the key goes: most APIs take ``Authorization: Bearer <key>``.
    auth_header: str = "Authorization"
    auth_prefix: str = "Bearer "
    transient_statuses: frozenset[int] = DEFAULT_TRANSIENT
    docs: str = ""
    #: Variants are different servers (vLLM, llama.cpp), so one base URL cannot serve them all.
    one_server_per_variant: bool = False
    #: How ``quirks inspect`` recognises this provider in someone else's recording.
    hosts: tuple[str, ...] = ()
    path_markers: tuple[str, ...] = ()
    #: The variants every wire quirk is checked on (default: the first, the cheapest model); the
    #: others are targets only of the quirks that name them.
    core_variants: tuple[str, ...] | None = None
    #: The error shapes, tried in order, when they are not the dialect's (Mistral's pydantic details).
    error_envelopes: tuple[EnvelopeReader, ...] | None = None
    #: How the minimal request differs from the dialect's (Azure's deployments path), given the variant.
    adapt_request: Callable[[Variant, WireRequest], WireRequest] | None = None

    @property
    def envelopes(self) -> tuple[EnvelopeReader, ...]:
        """How this provider's error bodies are read: its own shapes, else its dialect's."""
        return self.error_envelopes if self.error_envelopes is not None else self.dialect.envelopes

    def minimal_chat(self, variant: Variant) -> WireRequest:
        """The smallest valid chat request for ``variant``: the dialect's, adapted where the provider differs."""
        request = self.dialect.minimal_request(variant)
        return self.adapt_request(variant, request) if self.adapt_request is not None else request

    def core_targets(self) -> tuple[str, ...]:
        names = self.core_variants if self.core_variants is not None else (self.variants[0].name,)
        return tuple(f"{self.name}@{self.variant(name).name}" for name in names)

    def variant(self, name: str) -> Variant:
        for variant in self.variants:
            if variant.name == name:
                return variant
        known = ", ".join(v.name for v in self.variants)
        raise ConfigurationError(f"provider {self.name!r} has no variant {name!r} (known: {known})")

    def base_url(self, environ: Mapping[str, str] = os.environ) -> str:
        """The base URL, from the environment when set; a required one that is missing is an error."""
        url = environ.get(self.base_url_env) or self.default_base_url
        if not url:
            raise ConfigurationError(f"{self.name}: set {self.base_url_env} to the server's base URL")
        return url.rstrip("/")

    @property
    def canonical_base_url(self) -> str:
        """The base URL cassettes keep: the public one, or a ``.invalid`` placeholder naming the provider."""
        return (self.default_base_url or f"https://{self.replay_host}").rstrip("/")

    @property
    def replay_host(self) -> str:
        return f"{self.name.replace('_', '-')}.{REPLAY_DOMAIN}"

    def api_key(self, environ: Mapping[str, str] = os.environ) -> str | None:
        return environ.get(self.key_env) or None

    def auth_headers(self, key: str | None) -> dict[str, str]:
        """The header that carries the key; never recorded (cassettes keep an allow-list)."""
        if key is None:
            return {}
        return {self.auth_header: f"{self.auth_prefix}{key}"}


def detect_provider(uri: str, providers: Mapping[str, Provider]) -> Provider | None:
    """The provider a recorded URI belongs to: by host, then by a path only it uses.

    One host may serve two APIs (OpenAI's chat completions and Responses): its path decides. A
    host no provider names is a server of its own, so its path names a "-compatible" provider
    (one without hosts) before a hosted provider whose API it copies.
    """
    parts = urlsplit(uri)
    host = (parts.hostname or "").lower()

    def on_path(provider: Provider) -> bool:
        return any(marker in parts.path for marker in provider.path_markers)

    by_host = [
        provider
        for provider in providers.values()
        if host == provider.replay_host or any(host == h or host.endswith("." + h.lstrip("*.")) for h in provider.hosts)
    ]
    if by_host:
        return next((provider for provider in by_host if on_path(provider)), by_host[0])
    by_path = sorted((p for p in providers.values() if on_path(p)), key=lambda provider: bool(provider.hosts))
    return by_path[0] if by_path else None
