"""Each SDK client, declared: the package, the REST target it stands for, and how to build it.

An SDK target (``openai-sdk@AzureOpenAI``) is a ``Target`` whose provider is the REST provider
relabelled (same dialect, envelopes and canonical base URL) and whose variant names the client
class and the model (or API version) the REST target uses. The client is built pointed at that
canonical base URL with a dummy key, so that replay matches the REST evidence and a real key or
an environment base URL can never be used.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.metadata
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from provider_quirks.providers import ConfigurationError, Provider, Variant
from provider_quirks.targets import Target, resolve_target

#: Shown when an SDK cell is skipped because the optional SDKs are missing.
INSTALL_HINT = "pip install 'provider-quirks[sdk]'"

DUMMY_KEY = "sk-provider-quirks-replay"


@dataclass(frozen=True)
class SdkClient:
    """``make(base_url, variant)`` builds the client; ``base_path`` is cut from the REST base URL when
    the SDK adds the version prefix itself (Mistral's SDK wants ``https://api.mistral.ai``)."""

    sdk: str
    client: str
    package: str
    module: str
    rest: str
    make: Callable[[str, Variant], Any]
    base_path: str = ""

    @property
    def target_id(self) -> str:
        return f"{self.sdk}@{self.client}"

    def installed(self) -> bool:
        try:
            return importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:
            return False

    def version(self) -> str:
        return importlib.metadata.version(self.package)

    def build(self) -> Any:
        rest = resolve_target(self.rest)
        base = rest.provider.canonical_base_url
        if self.base_path and base.endswith(self.base_path):
            base = base[: -len(self.base_path)]
        return self.make(base, rest.variant)


def _openai(base_url: str, variant: Variant) -> Any:
    openai = importlib.import_module("openai")
    return openai.OpenAI(api_key=DUMMY_KEY, base_url=base_url)


def _azure_openai(base_url: str, variant: Variant) -> Any:
    openai = importlib.import_module("openai")
    return openai.AzureOpenAI(api_key=DUMMY_KEY, azure_endpoint=base_url, api_version=variant.api_version)


def _anthropic(base_url: str, variant: Variant) -> Any:
    anthropic = importlib.import_module("anthropic")
    return anthropic.Anthropic(api_key=DUMMY_KEY, base_url=base_url)


def _mistral(base_url: str, variant: Variant) -> Any:
    mistral = importlib.import_module("mistralai.client")
    return mistral.Mistral(api_key=DUMMY_KEY, server_url=base_url)


def _genai(base_url: str, variant: Variant) -> Any:
    """``v1beta``, the API version of the REST evidence (the SDK's own default is ``v1``)."""
    genai = importlib.import_module("google.genai")
    types = importlib.import_module("google.genai.types")
    options = types.HttpOptions(base_url=base_url, api_version="v1beta")
    return genai.Client(vertexai=False, api_key=DUMMY_KEY, http_options=options)  # never Vertex from the environment


#: The SDK clients, in report order; each one stands for the REST target whose evidence it replays.
SDK_CLIENTS: tuple[SdkClient, ...] = (
    SdkClient("openai-sdk", "OpenAI", "openai", "openai", "openai@gpt-4o-mini", _openai),
    SdkClient("openai-sdk", "AzureOpenAI", "openai", "openai", "azure_openai@2024-10-21", _azure_openai),
    SdkClient("anthropic-sdk", "Anthropic", "anthropic", "anthropic", "anthropic@claude-haiku-4-5", _anthropic),
    SdkClient(
        "mistralai-sdk", "Mistral", "mistralai", "mistralai.client", "mistral@mistral-small-latest", _mistral, "/v1"
    ),
    SdkClient("google-genai-sdk", "Client", "google-genai", "google.genai", "gemini@gemini-2.5-flash", _genai),
)
SDK_TARGETS: tuple[str, ...] = tuple(client.target_id for client in SDK_CLIENTS)


def sdk_client(target_id: str) -> SdkClient:
    for client in SDK_CLIENTS:
        if client.target_id == target_id:
            return client
    raise ConfigurationError(f"unknown SDK target {target_id!r} (known: {', '.join(SDK_TARGETS)})")


def rest_target(target_id: str) -> Target:
    return resolve_target(sdk_client(target_id).rest)


def resolve_sdk_target(target_id: str) -> Target:
    """The SDK target as a ``Target``: the REST provider relabelled, one variant per client of that SDK."""
    client = sdk_client(target_id)
    rest = rest_target(target_id)
    variants = tuple(
        dataclasses.replace(
            resolve_target(other.rest).variant, name=other.client, notes=f"{other.package} SDK, client {other.client}"
        )
        for other in SDK_CLIENTS
        if other.sdk == client.sdk
    )
    provider: Provider = dataclasses.replace(
        rest.provider,
        name=client.sdk,
        title=f"{client.package} Python SDK",
        variants=variants,
        default_base_url=rest.provider.canonical_base_url,  # so `quirks reconstruct` writes the REST host
    )
    return Target(provider, provider.variant(client.client))
