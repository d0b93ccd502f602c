"""max-tokens-required: Anthropic rejects a request without max_tokens; the others apply a default."""

from provider_quirks.quirk import Probe, Quirk, chat_with, every_dialect
from provider_quirks.wire import REMOVE

QUIRK = Quirk(
    id="max-tokens-required",
    title="An output limit is required on Anthropic",
    category="request validation",
    claim="2024 note (Claude): max_tokens is required!",
    summary=(
        "Anthropic's Messages API has no default output limit: a request without max_tokens is a 400 "
        "'max_tokens: Field required'. OpenAI, Azure OpenAI, Mistral and Gemini treat the limit as optional "
        "and generate up to the model's own cap when it is missing."
    ),
    why_it_matters=(
        "A request built for OpenAI that leaves the limit out fails on every Anthropic call; the reverse "
        "mistake (no limit elsewhere) silently allows answers as long as the model's cap, which costs money."
    ),
    workaround=(
        "Always send an output limit: max_tokens on Anthropic, Mistral and OpenAI's non-reasoning models, "
        "maxOutputTokens on Gemini."
    ),
    sources=(
        "https://github.com/tickernelz/opencode-mem/issues/50",
        "https://github.com/anthropics/anthropic-sdk-python/blob/main/src/anthropic/types/message_create_params.py",
    ),
    probes=(
        Probe(
            id="no-max-tokens",
            summary="the minimal request with its output limit left out",
            build=chat_with(
                {
                    "openai-chat": {"max_tokens": REMOVE},
                    "anthropic-messages": {"max_tokens": REMOVE},
                    "gemini-generate": {"generationConfig": REMOVE},
                }
            ),
        ),
        Probe(
            id="with-max-tokens",
            summary="the minimal request, which sends max_tokens: 8 (maxOutputTokens on Gemini)",
            build=chat_with(every_dialect({})),
            shows_workaround=True,
        ),
    ),
)
