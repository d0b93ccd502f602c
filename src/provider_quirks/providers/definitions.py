"""The six providers, declared. Adding a provider means adding one entry here (see README)."""

from __future__ import annotations

from dataclasses import replace

from provider_quirks.dialects import ANTHROPIC_MESSAGES, GEMINI_GENERATE, MAX_TOKENS, OPENAI_CHAT, PROMPT
from provider_quirks.envelopes import (
    object_error_envelope,
    openai_envelope,
    plain_detail_envelope,
    pydantic_detail_envelope,
)
from provider_quirks.providers.spec import DEFAULT_TRANSIENT, Provider, Variant
from provider_quirks.wire import REMOVE, WireRequest

#: The minimal request's question and cap, kept importable here for the SDK calls that send them.
__all__ = ["MAX_TOKENS", "PROMPT", "PROVIDERS"]


def _azure_paths(variant: Variant, request: WireRequest) -> WireRequest:
    """Dated API versions use the deployments path (the model is the deployment); ``v1`` uses ``/openai/v1/``."""
    if variant.api_version is None:
        return replace(request, path=f"/openai/v1{request.path}")
    path = f"/openai/deployments/{variant.model}{request.path}"
    return replace(request.with_fields({"model": REMOVE}), path=path, query=(("api-version", variant.api_version),))


def _repeatable(variant: Variant, request: WireRequest) -> WireRequest:
    """Local servers sample at temperature 0 so that live recordings are repeatable."""
    return request.with_fields({"temperature": 0})


OPENAI = Provider(
    name="openai",
    title="OpenAI",
    dialect=OPENAI_CHAT,
    base_url_env="OPENAI_BASE_URL",
    default_base_url="https://api.openai.com/v1",
    key_env="OPENAI_API_KEY",
    key_required=True,
    auth_header="Authorization",
    auth_prefix="Bearer ",
    variants=(
        Variant("gpt-4o-mini", "gpt-4o-mini"),
        Variant("gpt-5-mini", "gpt-5-mini", notes="reasoning model", reasoning=True),
        Variant("gpt-4o", "gpt-4o", notes="named by public error bodies (16384 output cap)"),
        Variant("gpt-4.1-mini", "gpt-4.1-mini", notes="named by a public recording of an assistant-first conversation"),
    ),
    docs="https://platform.openai.com/docs/api-reference/chat/create",
    hosts=("api.openai.com",),
)

AZURE_OPENAI = Provider(
    name="azure_openai",
    title="Azure OpenAI",
    dialect=OPENAI_CHAT,
    base_url_env="AZURE_OPENAI_ENDPOINT",
    default_base_url=None,
    key_env="AZURE_OPENAI_API_KEY",
    key_required=True,
    auth_header="api-key",
    auth_prefix="",
    variants=(
        Variant("2024-06-01", "gpt-4o-mini", api_version="2024-06-01", notes="GA version the 2024 note used"),
        Variant("2024-10-21", "gpt-4o-mini", api_version="2024-10-21", notes="first GA with stream usage"),
        Variant("v1", "gpt-4o-mini", notes="the /openai/v1/ API, no api-version (since 2025-08)"),
    ),
    core_variants=("2024-06-01", "2024-10-21"),
    adapt_request=_azure_paths,
    docs="https://learn.microsoft.com/en-us/azure/ai-foundry/openai/reference",
    hosts=("openai.azure.com", "cognitiveservices.azure.com"),
    path_markers=("/openai/deployments/", "/openai/v1/"),
)

MISTRAL = Provider(
    name="mistral",
    title="Mistral",
    dialect=OPENAI_CHAT,
    base_url_env="MISTRAL_BASE_URL",
    default_base_url="https://api.mistral.ai/v1",
    key_env="MISTRAL_API_KEY",
    key_required=True,
    auth_header="Authorization",
    auth_prefix="Bearer ",
    variants=(Variant("mistral-small-latest", "mistral-small-latest"),),
    error_envelopes=(object_error_envelope, pydantic_detail_envelope, openai_envelope),
    docs="https://docs.mistral.ai/api/",
    hosts=("api.mistral.ai",),
)

ANTHROPIC = Provider(
    name="anthropic",
    title="Anthropic",
    dialect=ANTHROPIC_MESSAGES,
    base_url_env="ANTHROPIC_BASE_URL",
    default_base_url="https://api.anthropic.com",
    key_env="ANTHROPIC_API_KEY",
    key_required=True,
    auth_header="x-api-key",
    auth_prefix="",
    variants=(
        Variant("claude-haiku-4-5", "claude-haiku-4-5-20251001", api_version="2023-06-01"),
        Variant(
            "claude-3-5-sonnet-20240620",
            "claude-3-5-sonnet-20240620",
            api_version="2023-06-01",
            notes="the 2024 note's generation (retired)",
        ),
        Variant("claude-opus-4-5", "claude-opus-4-5-20251101", api_version="2023-06-01", notes="64000 output cap"),
        Variant(
            "claude-sonnet-4-5",
            "claude-sonnet-4-5-20250929",
            api_version="2023-06-01",
            notes="64000 output cap; deprecated, retires 2026-11-30",
        ),
    ),
    docs="https://docs.anthropic.com/en/api/messages",
    hosts=("api.anthropic.com",),
    path_markers=("/v1/messages",),
)

GEMINI = Provider(
    name="gemini",
    title="Gemini",
    dialect=GEMINI_GENERATE,
    base_url_env="GEMINI_BASE_URL",
    default_base_url="https://generativelanguage.googleapis.com",
    key_env="GEMINI_API_KEY",
    key_required=True,
    auth_header="x-goog-api-key",
    auth_prefix="",
    variants=(
        Variant("gemini-2.5-flash", "gemini-2.5-flash"),
        Variant("gemma-3-27b-it", "gemma-3-27b-it", notes="Gemma on the Gemini API"),
    ),
    docs="https://ai.google.dev/api/generate-content",
    hosts=("generativelanguage.googleapis.com",),
    path_markers=(":generateContent", ":streamGenerateContent"),
)

OPENAI_COMPATIBLE = Provider(
    name="openai_compatible",
    title="OpenAI-compatible servers",
    dialect=OPENAI_CHAT,
    base_url_env="OPENAI_COMPATIBLE_BASE_URL",
    default_base_url=None,
    key_env="OPENAI_COMPATIBLE_API_KEY",
    key_required=False,
    auth_header="Authorization",
    auth_prefix="Bearer ",
    variants=(
        Variant("llama-server", "tiny-llama", notes="llama.cpp's llama-server (llama-cpp-python 0.3.36 sources)"),
        Variant("llama-cpp-python", "tiny-llama", notes="llama-cpp-python 0.3.36's Python server"),
        Variant("vllm", "served-model", notes="vLLM's OpenAI-compatible server"),
    ),
    core_variants=("llama-server", "llama-cpp-python", "vllm"),
    error_envelopes=(openai_envelope, object_error_envelope, pydantic_detail_envelope, plain_detail_envelope),
    adapt_request=_repeatable,
    # A local server's 500 is its deterministic answer (llama.cpp answers malformed JSON so).
    transient_statuses=DEFAULT_TRANSIENT - {500},
    docs="https://github.com/ggml-org/llama.cpp/tree/master/tools/server",
    one_server_per_variant=True,
    path_markers=("/chat/completions",),
)

#: Every provider declared above, in declaration order: declaring one is the only step to add it.
PROVIDERS: dict[str, Provider] = {
    value.name: value for value in dict(globals()).values() if isinstance(value, Provider)
}
