"""max-tokens-limit: asking for more output than the model allows, and the cap the error states."""

from typing import Any

from provider_quirks.quirk import Probe, Quirk, chat_with, every_dialect
from provider_quirks.targets import CORE_TARGETS
from provider_quirks.wire import REMOVE

#: Recorded requests with a limit far within the cap, whose answers show it accepted.
#: pydantic-ai's gpt-4o-mini request (test_max_completion_tokens[gpt-4o-mini]) in OpenAI's current field; it
#: asked for 100 tokens, the probe for the minimal request's 8 (both far within the cap).
_RECORDED_OPENAI_WITHIN_CAP: dict[str, Any] = {
    "messages": [{"role": "user", "content": "hello"}],
    "max_tokens": REMOVE,
    "max_completion_tokens": 8,
}
#: pydantic-ai's recorded gemini-2.5-flash request (test_google_model_max_tokens): maxOutputTokens 5.
_RECORDED_GEMINI_WITHIN_CAP: dict[str, Any] = {
    "contents": [{"parts": [{"text": "What is the capital of France?"}], "role": "user"}],
    "generationConfig": {"maxOutputTokens": 5, "responseModalities": ["TEXT"]},
    "systemInstruction": {"parts": [{"text": "You are a helpful chatbot."}], "role": "user"},
}

QUIRK = Quirk(
    id="max-tokens-limit",
    title="Output limit above the model's cap",
    category="limits",
    claim=(
        "2024 note: no service describes max tokens clearly; Claude gives the max output to 4096 tokens to all "
        "models; Mistral (they write 32k, 8k, ...); OpenAI sometimes gives 4096 tokens for the output."
    ),
    summary=(
        "Every model has its own maximum number of output tokens, and asking for more is an error before "
        "anything is generated. Anthropic, OpenAI and Gemini say the cap in the message (Anthropic: "
        "'max_tokens: N > M, which is the maximum allowed number of output tokens for <model>'; OpenAI: "
        "'max_tokens is too large: N. This model supports at most M completion tokens'; Gemini: 'maxOutputTokens "
        "value of N but the supported range is from 1 (inclusive) to M (exclusive)'). vLLM and Mistral check "
        "the prompt plus max_tokens against the context length instead. The caps differ per model and grow "
        "with new models: 4096 for claude-3-5-sonnet-20240620 in 2024, 64000 for the Claude 4.5 models "
        "(claude-opus-4-5, claude-sonnet-4-5), 128000 for later ones; 16384 for gpt-4o."
    ),
    why_it_matters=(
        "A max_tokens that one model accepts is a 400 on another, so a single default across models breaks "
        "whenever the model changes; a hard-coded table of caps goes stale with every release."
    ),
    workaround=(
        "Keep the limit per model and within its documented cap (or read it from the provider's model "
        "listing, or from the number the 400 states); never reuse one provider's maximum for another."
    ),
    sources=(
        "https://github.com/ChatGPTNextWeb/NextChat/issues/4964",
        "https://github.com/anthropics/claude-code/issues/24451",
        "https://github.com/Natively-AI-assistant/natively-cluely-ai-assistant/issues/54",
        "https://github.com/tailcallhq/forgecode/issues/1185",
        "https://github.com/stackblitz-labs/bolt.diy/issues/955",
        "https://github.com/ogx-ai/ogx/issues/4534",
    ),
    targets=(
        *CORE_TARGETS,
        "anthropic@claude-3-5-sonnet-20240620",
        "anthropic@claude-opus-4-5",
        "anthropic@claude-sonnet-4-5",
        "openai@gpt-4o",
    ),
    probes=(
        Probe(
            id="over-cap",
            summary="max_tokens (maxOutputTokens) far above the model's output cap, as the cited reports sent it",
            build=chat_with(
                {
                    "anthropic@claude-3-5-sonnet-20240620": {"max_tokens": 10000},
                    "anthropic@claude-sonnet-4-5": {"max_tokens": 65536},
                    "openai_compatible@vllm": {"max_tokens": 6048},
                    "mistral": {"max_tokens": 1000000},
                    "anthropic-messages": {"max_tokens": 128001},
                    "openai-chat": {"max_tokens": 20480},
                    "gemini-generate": {"generationConfig": {"maxOutputTokens": 655360}},
                }
            ),
        ),
        Probe(
            id="within-cap",
            summary="a limit well within the model's cap: the minimal request's 8, or a recording's own request",
            build=chat_with(
                {
                    **every_dialect({}),
                    "openai@gpt-4o-mini": _RECORDED_OPENAI_WITHIN_CAP,
                    "gemini@gemini-2.5-flash": _RECORDED_GEMINI_WITHIN_CAP,
                }
            ),
            shows_workaround=True,
        ),
    ),
)
