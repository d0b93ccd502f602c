"""sdk-retries: how many HTTP requests one SDK call makes when the provider is busy."""

from typing import Any

from provider_quirks.providers import Variant
from provider_quirks.sdk.calls import anthropic_messages, genai_generate, mistral_chat, openai_chat, returned
from provider_quirks.sdk.clients import SDK_TARGETS
from provider_quirks.sdk.quirk import SdkCall, SdkQuirk, sdk_probe

#: Answers are quoted in this cell's cassette (one per probe); each retry replays the same answer.
BUSY = {
    "openai-sdk": SdkCall(returned(openai_chat)),
    "anthropic-sdk": SdkCall(returned(anthropic_messages)),
    "mistralai-sdk": SdkCall(returned(mistral_chat)),
    "google-genai-sdk": SdkCall(returned(genai_generate)),
}


def one_attempt(call: Any) -> Any:
    """The documented per-client setting: no automatic retry."""
    return returned(lambda client, variant: call(client.with_options(max_retries=0), variant))


def genai_three_attempts(client: Any, variant: Variant) -> Any:
    """google-genai does not retry unless asked: its documented retry_options."""
    return genai_generate(client, variant, http_options={"retry_options": {"attempts": 3}})


EXPLICIT = {
    "openai-sdk": SdkCall(one_attempt(openai_chat)),
    "anthropic-sdk": SdkCall(one_attempt(anthropic_messages)),
    "google-genai-sdk": SdkCall(returned(genai_three_attempts)),
}

QUIRK = SdkQuirk(
    id="sdk-retries",
    title="Automatic retries in the official SDKs",
    category="sdk",
    claim="Not in the 2024 note; issue 8: 'the openai client retries twice by default'.",
    summary=(
        "With their default settings the openai and anthropic SDKs retry a 5xx (and Anthropic's 529 "
        "overloaded_error) twice with exponential backoff: one call becomes three HTTP requests before the "
        "exception (openai.InternalServerError, anthropic.OverloadedError) reaches your code. google-genai makes "
        "one request and raises google.genai.errors.ServerError unless retry_options ask for more; mistralai makes "
        "one request on a 429 and raises SDKError unless a RetryConfig is passed. The answers "
        "are quoted from public reports; the request counts are measured on the installed SDKs with their "
        "defaults, the backoff sleep replaced so the check takes milliseconds."
    ),
    why_it_matters=(
        "A busy provider costs three times the latency budget before an error surfaces, wrapping the SDK in your "
        "own retry loop multiplies requests (3 x 3), rate limits are hit sooner, and a recording or cost estimate "
        "that assumes one request per call is wrong. The same code on google-genai fails at the first 503."
    ),
    workaround=(
        "Choose the retry policy explicitly per client: max_retries=0 (or with_options(max_retries=...)) on openai "
        "and anthropic when you retry yourself, HttpOptions(retry_options=HttpRetryOptions(attempts=N)) on "
        "google-genai when you want the SDK to retry."
    ),
    sources=(
        "https://github.com/openai/openai-python#retries",
        "https://github.com/anthropics/anthropic-sdk-python#retries",
        "https://googleapis.github.io/python-genai/",
    ),
    targets=SDK_TARGETS,
    probes=(
        sdk_probe("server-busy", "the minimal call, answered 429/5xx/529 on every attempt", BUSY, "no quoted answer"),
        sdk_probe(
            "explicit-retries",
            "the same call with the retry policy set explicitly (openai, anthropic: none; google-genai: 3 attempts)",
            EXPLICIT,
            "mistralai bounds its retries by elapsed time (RetryConfig backoff), not by a count of attempts",
            shows_workaround=True,
        ),
    ),
)
