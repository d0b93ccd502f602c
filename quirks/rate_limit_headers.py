"""rate-limit-headers: which response headers tell the remaining quota and when to retry."""

from provider_quirks.quirk import Probe, Quirk, chat_with, every_dialect

QUIRK = Quirk(
    id="rate-limit-headers",
    title="Rate-limit headers: x-ratelimit-*, anthropic-ratelimit-*, retry-after, or none",
    category="responses",
    claim="2024 note: every OpenAI-compatible API sends OpenAI's x-ratelimit-* headers.",
    summary=(
        "OpenAI's chat API answers with x-ratelimit-limit/remaining/reset headers for requests and tokens "
        "(recorded in 2024); Anthropic's Messages API names its own anthropic-ratelimit-* headers, for requests "
        "and for input, output and all tokens, with reset times as dates (recorded in 2025, with a retry-after "
        "even on a 200). llama-server, llama-cpp-python and a LiteLLM proxy in front of llama-server send no "
        "rate-limit header at all, on any of their APIs. The probe is the minimal request; the expectation says "
        "which headers are present, never their values, which change on every call."
    ),
    why_it_matters=(
        "A client that paces itself by x-ratelimit-remaining-* reads nothing on a provider that names its "
        "headers differently or sends none, and then learns its limit only from a 429."
    ),
    workaround=(
        "Read the headers of the provider you call (x-ratelimit-* or anthropic-ratelimit-*), treat their "
        "absence as unknown quota, and on a 429 honour retry-after when it is sent."
    ),
    sources=(
        "https://platform.openai.com/docs/guides/rate-limits",
        "https://docs.anthropic.com/en/api/rate-limits",
    ),
    probes=(
        Probe(
            id="minimal",
            summary="the minimal chat request, and which rate-limit headers its answer carries",
            build=chat_with(every_dialect({})),
        ),
    ),
)
