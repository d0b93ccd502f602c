"""sdk-client-validation: what each SDK refuses before sending, and what it leaves to the server."""

from provider_quirks.sdk.calls import (
    MINIMAL_CALLS,
    OMIT,
    anthropic_messages,
    genai_generate,
    mistral_chat,
    openai_chat,
    returned,
)
from provider_quirks.sdk.clients import SDK_TARGETS
from provider_quirks.sdk.quirk import Replay, SdkCall, SdkQuirk, sdk_probe


def replay(target: str, probe: str, quirk: str = "max-tokens-required") -> Replay:
    return Replay(quirk, target, probe)


NO_MAX_TOKENS = {
    "openai-sdk@OpenAI": SdkCall(
        returned(lambda c, v: openai_chat(c, v, max_tokens=OMIT)), replay("openai@gpt-4o-mini", "no-max-tokens")
    ),
    "openai-sdk@AzureOpenAI": SdkCall(returned(lambda c, v: openai_chat(c, v, max_tokens=OMIT))),
    # No answer: the SDK must refuse before sending; a version that sends instead finds no answer and drifts.
    "anthropic-sdk": SdkCall(returned(lambda c, v: anthropic_messages(c, v, max_tokens=OMIT))),
    "mistralai-sdk": SdkCall(
        returned(lambda c, v: mistral_chat(c, v, max_tokens=OMIT)),
        replay("mistral@mistral-small-latest", "no-max-tokens"),
    ),
    "google-genai-sdk": SdkCall(
        returned(lambda c, v: genai_generate(c, v, max_output_tokens=OMIT)),
        replay("gemini@gemini-2.5-flash", "no-max-tokens"),
    ),
}
WRONG_TYPE = {
    "mistralai-sdk": SdkCall(returned(lambda c, v: mistral_chat(c, v, max_tokens="eight"))),
    "google-genai-sdk": SdkCall(returned(lambda c, v: genai_generate(c, v, max_output_tokens="eight"))),
}
QUIRK = SdkQuirk(
    id="sdk-client-validation",
    title="What the SDKs refuse before sending",
    category="sdk",
    claim=(
        "2024 note (Claude): 'max_tokens is required!' (said of the API; the note does not say where a missing "
        "max_tokens is caught when an SDK is used)."
    ),
    summary=(
        "Leaving out max_tokens: the anthropic SDK raises TypeError before any request (the API would answer 400 "
        "'max_tokens: Field required'); the openai, mistralai and google-genai SDKs send the request and the "
        "server answers 200. Passing max_tokens as a string: mistralai and google-genai validate the request with "
        "pydantic and raise ValidationError before sending; openai and anthropic do not check argument types (not "
        "checked here: no public answer to such a request). "
        "Answers are the REST cells' cited evidence; what is refused before sending is measured on the installed SDKs."
    ),
    why_it_matters=(
        "Error handling written for one SDK misses the other's failures: a TypeError or pydantic ValidationError is "
        "not an APIStatusError, is not retried, and never reaches logging that only wraps HTTP errors. Tests that "
        "mock the HTTP layer also miss local refusals."
    ),
    workaround=(
        "Always pass every argument an SDK's signature requires (max_tokens for Anthropic) with the documented "
        "type, and catch the local exceptions (TypeError, pydantic.ValidationError) next to the SDK's API errors."
    ),
    sources=(
        "https://docs.anthropic.com/en/api/messages",
        "https://github.com/anthropics/anthropic-sdk-python/blob/main/src/anthropic/resources/messages/messages.py",
        "https://googleapis.github.io/python-genai/",
    ),
    targets=SDK_TARGETS,
    probes=(
        sdk_probe("no-max-tokens", "the minimal chat call without max_tokens", NO_MAX_TOKENS, "no such call"),
        sdk_probe(
            "wrong-type",
            "max_tokens passed as the string 'eight'",
            WRONG_TYPE,
            "the SDK sends typed dicts unchecked; no public answer to a string max_tokens",
        ),
        sdk_probe(
            "with-max-tokens",
            "the call with max_tokens=8 as its signature asks (streamed where the evidence is a stream)",
            MINIMAL_CALLS,
            "no such call",
            shows_workaround=True,
        ),
    ),
)
