"""reasoning-model-params: parameters OpenAI's reasoning models refuse, and the mirror image on Mistral."""

from provider_quirks.quirk import Probe, Quirk, chat_with
from provider_quirks.targets import CORE_TARGETS
from provider_quirks.wire import REMOVE, NotApplicable

_REASONING_ONLY = "probed on OpenAI's reasoning models only"

QUIRK = Quirk(
    id="reasoning-model-params",
    title="Reasoning models refuse max_tokens and temperature",
    category="request validation",
    summary=(
        "OpenAI's reasoning models (the o-series, gpt-5 and later) reject max_tokens with 'Unsupported "
        "parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.' "
        "and any temperature other than 1 with 'Only the default (1) value is supported.' Azure OpenAI's "
        "reasoning deployments answer with the same bodies (GPT-5.x in 2026, o4-mini's temperature in 2025). "
        "The non-reasoning models take either limit field. Mistral is the mirror image: max_completion_tokens "
        "is an unknown field there (422 extra_forbidden) and max_tokens is the only limit it takes. The other "
        "reasoning APIs do not refuse at all: DeepSeek's thinking mode documents that temperature and the "
        "penalties are accepted without effect, and Groq turns a temperature of 0 into 1e-8."
    ),
    why_it_matters=(
        "Switching a model name from gpt-4o-mini to gpt-5-mini breaks requests that worked, and the "
        "field that fixes OpenAI (max_completion_tokens) breaks Mistral: no single limit field works everywhere."
    ),
    workaround=(
        "Choose the limit field per model: max_completion_tokens for OpenAI reasoning models (and leave "
        "temperature out), max_tokens for Mistral and the other OpenAI-style APIs."
    ),
    sources=(
        "https://github.com/langflow-ai/openrag/issues/398",
        "https://github.com/TheR1D/shell_gpt/issues/757",
        "https://github.com/editor-code-assistant/eca/issues/315",
        "https://github.com/omnirexflora-labs/omnicoreagent/issues/45",
        "https://github.com/nashsu/llm_wiki/issues/610",
        "https://github.com/microsoft/vscode/issues/253673",
        "https://api-docs.deepseek.com/guides/thinking_mode/",
        "https://console.groq.com/docs/openai",
    ),
    targets=(*CORE_TARGETS, "openai@gpt-5-mini"),
    probes=(
        Probe(
            id="max-tokens",
            summary="max_tokens: 8 instead of max_completion_tokens on a reasoning model",
            build=chat_with(
                {"openai@gpt-5-mini": {"max_completion_tokens": REMOVE, "max_tokens": 8}}, otherwise=_REASONING_ONLY
            ),
        ),
        Probe(
            id="temperature",
            summary="temperature: 0.0 on a reasoning model",
            build=chat_with({"openai@gpt-5-mini": {"temperature": 0.0}}, otherwise=_REASONING_ONLY),
        ),
        Probe(
            id="thinking-temperature",
            summary="temperature: 0.0 with DeepSeek's thinking mode turned on (documented: accepted, no effect)",
            build=chat_with(
                {"deepseek": {"thinking": {"type": "enabled"}, "temperature": 0.0}},
                otherwise="DeepSeek's thinking switch only",
            ),
        ),
        Probe(
            id="max-completion-tokens",
            summary="max_completion_tokens instead of max_tokens on a non-reasoning API",
            build=chat_with(
                {
                    "openai@gpt-5-mini": NotApplicable("its minimal request already uses max_completion_tokens"),
                    # Mistral's quoted 422 echoes the value it refused (input: 32000): its probe sends that value.
                    "mistral": {"max_tokens": REMOVE, "max_completion_tokens": 32000},
                    "openai-chat": {"max_tokens": REMOVE, "max_completion_tokens": 8},
                },
                otherwise="no max_completion_tokens field on this API",
            ),
        ),
        Probe(
            id="own-limit-field",
            summary="the minimal request: the limit field each model takes, no temperature on reasoning models",
            build=chat_with({"openai-chat": {}}, otherwise="not an OpenAI-style API"),
            shows_workaround=True,
        ),
    ),
)
