"""The providers, declared. Adding a provider means adding one entry here (see README).

Longer than most modules on purpose: it is a list of declarations, one per provider, each with
the sources of its defaults; splitting it would scatter the one place a reader looks them up.
"""

from __future__ import annotations

from dataclasses import replace

from provider_quirks.dialects import (
    ANTHROPIC_MESSAGES,
    GEMINI_GENERATE,
    MAX_TOKENS,
    OPENAI_CHAT,
    OPENAI_RESPONSES,
    PROMPT,
)
from provider_quirks.envelopes import (
    code_error_envelope,
    flat_error_envelope,
    object_error_envelope,
    openai_envelope,
    plain_detail_envelope,
    pydantic_detail_envelope,
    router_envelope,
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


def _thinking_off(variant: Variant, request: WireRequest) -> WireRequest:
    """DeepSeek's V4 models think unless told not to, so the minimal request turns thinking off.

    "Thinking mode is enabled by default, with the default effort being high", and it ignores
    temperature (https://api-docs.deepseek.com/guides/thinking_mode): thinking would spend the
    minimal request's 8-token cap before any answer text. Off, deepseek-v4-flash is what the alias
    deepseek-chat names ("the non-thinking mode ... of deepseek-v4-flash", pricing page), the model
    behind most public DeepSeek error bodies. A quirk about reasoning turns it back on.
    """
    return request.with_fields({"thinking": {"type": "disabled"}})


OPENAI = Provider(
    name="openai",
    title="OpenAI",
    dialect=OPENAI_CHAT,
    base_url_env="OPENAI_BASE_URL",
    default_base_url="https://api.openai.com/v1",
    key_env="OPENAI_API_KEY",
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

#: The servers behind the local "-compatible" providers: llama.cpp's server, and LiteLLM's proxy
#: in front of it, so that a report column shows what the gateway changes for the same backend.
LLAMA_SERVER = Variant("llama-server", "tiny-llama", notes="llama.cpp's llama-server (llama-cpp-python 0.3.36 sources)")
LITELLM = Variant("litellm", "tiny-llama", notes="LiteLLM 1.108.7's proxy in front of llama-server")
#: Ollama serves /v1/chat/completions, /v1/responses (since v0.13.3) and /v1/messages
#: (server/routes.go; docs/api/openai-compatibility.mdx, docs/api/anthropic-compatibility.mdx).
OLLAMA = Variant(
    "ollama",
    "llama3.2",
    notes="Ollama's OpenAI-, Anthropic- and Responses-compatible endpoints; llama3.2, a small model users "
    "commonly pull, is the tag Ollama's OpenAI-compatibility docs pull (ollama pull llama3.2)",
)

OPENAI_COMPATIBLE = Provider(
    name="openai_compatible",
    title="OpenAI-compatible servers",
    dialect=OPENAI_CHAT,
    base_url_env="OPENAI_COMPATIBLE_BASE_URL",
    default_base_url=None,
    key_env="OPENAI_COMPATIBLE_API_KEY",
    key_required=False,
    variants=(
        LLAMA_SERVER,
        Variant("llama-cpp-python", "tiny-llama", notes="llama-cpp-python 0.3.36's Python server"),
        Variant("vllm", "served-model", notes="vLLM's OpenAI-compatible server"),
        LITELLM,
        OLLAMA,
    ),
    core_variants=("llama-server", "llama-cpp-python", "vllm", "litellm", "ollama"),
    error_envelopes=(openai_envelope, object_error_envelope, pydantic_detail_envelope, plain_detail_envelope),
    adapt_request=_repeatable,
    # A local server's 500 is its deterministic answer (llama.cpp answers malformed JSON so).
    transient_statuses=DEFAULT_TRANSIENT - {500},
    docs="https://github.com/ggml-org/llama.cpp/tree/master/tools/server",
    one_server_per_variant=True,
    path_markers=("/chat/completions",),
)

DEEPSEEK = Provider(
    name="deepseek",
    title="DeepSeek",
    dialect=OPENAI_CHAT,
    base_url_env="DEEPSEEK_BASE_URL",
    default_base_url="https://api.deepseek.com",
    key_env="DEEPSEEK_API_KEY",
    variants=(
        # https://api-docs.deepseek.com/quick_start/pricing (archived 2026-04-26:
        # https://megalodon.jp/ref/2026-0426-0157-09/https://api-docs.deepseek.com:443/quick_start/pricing)
        Variant(
            "deepseek-v4-flash",
            "deepseek-v4-flash",
            notes="the cheaper of DeepSeek's two models ($0.14 in / $0.28 out per 1M, pricing page); thinking off",
        ),
    ),
    # Errors use the dialect's {"error": {...}} envelope (code repeats the type); serde failures
    # were plain-text 422s until 2025, which read_error keeps as the message.
    adapt_request=_thinking_off,
    docs="https://api-docs.deepseek.com/",
    hosts=("api.deepseek.com",),
)

GROQ = Provider(
    name="groq",
    title="Groq",
    dialect=OPENAI_CHAT,
    base_url_env="GROQ_BASE_URL",
    default_base_url="https://api.groq.com/openai/v1",
    key_env="GROQ_API_KEY",
    variants=(
        # https://huggingface.co/spaces/victor/inference-metrics/blame/main/providers/static-pricing.ts
        # ("Groq pricing from their website"); production model: https://ai.pydantic.dev/api/models/groq;
        # still listed by GET /models in 2026-01 (cassettes/models-endpoint/groq@llama-3.1-8b-instant.yaml)
        Variant(
            "llama-3.1-8b-instant",
            "llama-3.1-8b-instant",
            notes="Groq's cheapest chat model ($0.05 in / $0.08 out per 1M, secondary price table)",
        ),
    ),
    # Errors use the dialect's {"error": {"message", "type"}} envelope, usually without a code.
    docs="https://console.groq.com/docs/openai",
    hosts=("api.groq.com",),
)

OPENROUTER = Provider(
    name="openrouter",
    title="OpenRouter",
    dialect=OPENAI_CHAT,
    base_url_env="OPENROUTER_BASE_URL",
    default_base_url="https://openrouter.ai/api/v1",
    key_env="OPENROUTER_API_KEY",
    variants=(
        # https://dev.to/andrew_morgado_dev/cheapest-llm-apis-for-startups-in-2026-45jm
        Variant(
            "llama-3.1-8b-instruct",
            "meta-llama/llama-3.1-8b-instruct",
            notes="the cheapest paid model on OpenRouter in mid-2026 ($0.02 in / $0.03 out per 1M, secondary); "
            "not a rate-limited :free variant",
        ),
    ),
    error_envelopes=(router_envelope, openai_envelope),
    docs="https://openrouter.ai/docs/api/reference/errors-and-debugging",
    hosts=("openrouter.ai",),
)

XAI = Provider(
    name="xai",
    title="xAI",
    dialect=OPENAI_CHAT,
    base_url_env="XAI_BASE_URL",
    default_base_url="https://api.x.ai/v1",
    key_env="XAI_API_KEY",
    variants=(
        Variant(
            "grok-4.3",
            "grok-4.3",
            notes="the fast models ($0.20 / $0.50) retired on 2026-05-15 and are served by grok-4.3 at $1.25 in / "
            "$2.50 out per 1M (https://docs.x.ai/developers/migration/may-15-retirement)",
        ),
    ),
    error_envelopes=(code_error_envelope, openai_envelope),
    docs="https://docs.x.ai/api",
    hosts=("api.x.ai",),
)

CEREBRAS = Provider(
    name="cerebras",
    title="Cerebras",
    dialect=OPENAI_CHAT,
    base_url_env="CEREBRAS_BASE_URL",
    default_base_url="https://api.cerebras.ai/v1",
    key_env="CEREBRAS_API_KEY",
    variants=(
        # https://docs.vapi.ai/providers/model/cerebras ; https://promptfoo.dev/docs/providers/cerebras
        Variant(
            "llama3.1-8b",
            "llama3.1-8b",
            notes="the smallest model Cerebras serves; no first-hand price page found",
        ),
    ),
    error_envelopes=(flat_error_envelope, openai_envelope),
    docs="https://inference-docs.cerebras.ai",
    hosts=("api.cerebras.ai",),
)

OPENAI_RESPONSES_API = Provider(
    name="openai_responses",
    title="OpenAI Responses",
    dialect=OPENAI_RESPONSES,
    base_url_env="OPENAI_BASE_URL",
    default_base_url="https://api.openai.com/v1",
    key_env="OPENAI_API_KEY",
    variants=(Variant("gpt-4o-mini", "gpt-4o-mini"),),
    docs="https://platform.openai.com/docs/api-reference/responses/create",
    hosts=("api.openai.com",),
    path_markers=("/responses",),
)

ANTHROPIC_COMPATIBLE = Provider(
    name="anthropic_compatible",
    title="Anthropic-compatible servers",
    dialect=ANTHROPIC_MESSAGES,
    base_url_env="ANTHROPIC_COMPATIBLE_BASE_URL",
    default_base_url=None,
    key_env="ANTHROPIC_COMPATIBLE_API_KEY",
    key_required=False,
    auth_header="x-api-key",
    auth_prefix="",
    variants=(LLAMA_SERVER, LITELLM, OLLAMA),
    core_variants=("llama-server", "litellm", "ollama"),
    # llama-server answers every error in OpenAI's envelope, also on its Anthropic endpoint.
    error_envelopes=(*ANTHROPIC_MESSAGES.envelopes, openai_envelope),
    adapt_request=_repeatable,
    transient_statuses=DEFAULT_TRANSIENT - {500},
    docs="https://docs.anthropic.com/en/api/messages",
    one_server_per_variant=True,
    path_markers=("/v1/messages",),
)

RESPONSES_COMPATIBLE = Provider(
    name="responses_compatible",
    title="Responses-compatible servers",
    dialect=OPENAI_RESPONSES,
    base_url_env="RESPONSES_COMPATIBLE_BASE_URL",
    default_base_url=None,
    key_env="RESPONSES_COMPATIBLE_API_KEY",
    key_required=False,
    variants=(LLAMA_SERVER, LITELLM, OLLAMA),
    core_variants=("llama-server", "litellm", "ollama"),
    adapt_request=_repeatable,
    transient_statuses=DEFAULT_TRANSIENT - {500},
    docs="https://www.openresponses.org/specification",
    one_server_per_variant=True,
    path_markers=("/responses",),
)

#: Every provider declared above, in declaration order: declaring one is the only step to add it.
PROVIDERS: dict[str, Provider] = {
    value.name: value for value in dict(globals()).values() if isinstance(value, Provider)
}
