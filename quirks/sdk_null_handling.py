"""sdk-null-handling: what each SDK puts on the wire when an optional argument is None."""

from collections.abc import Callable
from typing import Any

from provider_quirks.providers import Variant
from provider_quirks.sdk.calls import (
    MESSAGES,
    MINIMAL_CALLS,
    anthropic_messages,
    genai_generate,
    mistral_chat,
    openai_chat,
    returned,
)
from provider_quirks.sdk.clients import SDK_TARGETS
from provider_quirks.sdk.quirk import Replay, SdkCall, SdkQuirk, sdk_probe

#: The REST null-values probe's conversation: an assistant tool_use block whose input is None.
TOOL_TURN = [
    *MESSAGES,
    {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "greet", "input": None}]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "hi"}]},
]


def single_try(call: Callable[[Any, Variant], Any]) -> Callable[[Any, Variant], Any]:
    """The call with retries off: a request no evidence answers is then observed once, not retried."""
    return lambda client, variant: call(client.with_options(max_retries=0), variant)


NONE_ARGUMENT = {
    # No public answer of OpenAI or Azure to stream_options: null: only what the SDK sends is observed.
    "openai-sdk": SdkCall(returned(single_try(lambda c, v: openai_chat(c, v, stream_options=None)))),
    "anthropic-sdk": SdkCall(
        returned(lambda c, v: anthropic_messages(c, v, messages=TOOL_TURN)),
        Replay("null-values", "anthropic@claude-haiku-4-5", "null-tool-input"),
    ),
    "mistralai-sdk": SdkCall(
        returned(lambda c, v: mistral_chat(c, v, frequency_penalty=None, presence_penalty=None, stop=None)),
        Replay("null-values", "mistral@mistral-small-latest", "null-known-fields"),
    ),
    "google-genai-sdk": SdkCall(
        returned(lambda c, v: genai_generate(c, v, temperature=None, stop_sequences=None)),
        Replay("max-tokens-required", "gemini@gemini-2.5-flash", "with-max-tokens"),
    ),
}
NONE_IN_MESSAGE = {
    # The REST answer (422 extra_forbidden) is not replayed: the SDK does not send those fields.
    "mistralai-sdk": SdkCall(
        returned(lambda c, v: mistral_chat(c, v, messages=[{**MESSAGES[0], "name": None, "tool_calls": None}]))
    ),
}
QUIRK = SdkQuirk(
    id="sdk-null-handling",
    title="None for an optional argument in the official SDKs",
    category="sdk",
    claim=(
        "2024 note (openai package 1.40.8 and below): AzureOpenAI 'doesn't accept None (when using Python SDK) with "
        "some specific endpoints ... I tried with stream_options. However, the class OpenAI (also from that package) "
        "allows that!'"
    ),
    summary=(
        "The SDKs disagree on what None means. The openai SDK (both OpenAI and AzureOpenAI clients) sends "
        "stream_options=None as JSON null, and the anthropic SDK sends None inside messages as null, so the server "
        "decides (Anthropic answers 400 to a null tool_use input; no public answer of OpenAI or Azure to a null "
        "stream_options exists, so only the request is checked there). The mistralai SDK sends null for the "
        "fields its schema marks nullable (frequency_penalty, presence_penalty, stop, which Mistral accepts) but "
        "silently drops keys its message model does not know (name, tool_calls on a user message, which the REST "
        "API would reject with 422). google-genai leaves None out of the request. Today the two openai clients "
        "send the same request: a difference that remains is the server's. Answers are the REST cells' cited "
        "evidence; the request is measured on the installed SDKs."
    ),
    why_it_matters=(
        "Passing None to mean 'use the default' is safe with google-genai, forwarded as null by openai and "
        "anthropic (where a provider or gateway may reject it), and half-filtered by mistralai. Code that builds "
        "keyword arguments with None defaults behaves differently per SDK and per provider behind it."
    ),
    workaround=(
        "Do not pass None: build the keyword arguments and leave out the ones you do not set (openai and "
        "anthropic also accept their NOT_GIVEN / omit sentinels)."
    ),
    sources=(
        "https://github.com/openai/openai-python/blob/main/src/openai/_types.py",
        "https://github.com/anthropics/anthropic-sdk-python/blob/main/src/anthropic/_types.py",
        "https://github.com/mistralai/client-python",
    ),
    targets=SDK_TARGETS,
    probes=(
        sdk_probe("none-argument", "None for optional arguments of the chat call", NONE_ARGUMENT, "no such call"),
        sdk_probe(
            "none-in-message",
            "name: None and tool_calls: None on a user message (the REST null-values probe)",
            NONE_IN_MESSAGE,
            "message dicts are sent as given (checked on the REST cell)",
        ),
        sdk_probe(
            "omit-none",
            "the call with the None arguments left out (streamed where the evidence is a stream)",
            MINIMAL_CALLS,
            "no such call",
            shows_workaround=True,
        ),
    ),
)
