"""The minimal chat call of each SDK, so a quirk module only states the argument that is the quirk.

Each mirrors its REST provider's minimal request (``providers/definitions.py``): the same prompt
and the same 8-token limit, so the SDK's request can be compared with the REST evidence's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from provider_quirks.providers import Variant
from provider_quirks.providers.definitions import MAX_TOKENS, PROMPT
from provider_quirks.sdk.observe import path_value
from provider_quirks.sdk.quirk import Replay, SdkCall

MESSAGES = [{"role": "user", "content": PROMPT}]
#: An argument value meaning "leave this argument out" (``max_tokens=OMIT``).
OMIT: Any = object()


def _merged(fields: dict[str, Any], arguments: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in {**fields, **arguments}.items() if value is not OMIT}


def _chat(variant: Variant, arguments: dict[str, Any]) -> dict[str, Any]:
    """The chat-style SDKs' minimal arguments (model, messages, max_tokens), with the probe's changes."""
    return _merged({"model": variant.model, "messages": MESSAGES, "max_tokens": MAX_TOKENS}, arguments)


def openai_chat(client: Any, variant: Variant, **arguments: Any) -> Any:
    return client.chat.completions.create(**_chat(variant, arguments))


def anthropic_messages(client: Any, variant: Variant, **arguments: Any) -> Any:
    return client.messages.create(**_chat(variant, arguments))


def mistral_chat(client: Any, variant: Variant, **arguments: Any) -> Any:
    return client.chat.complete(**_chat(variant, arguments))


def mistral_stream(client: Any, variant: Variant, **arguments: Any) -> Any:
    return client.chat.stream(**_chat(variant, arguments))


def genai_generate(client: Any, variant: Variant, stream: bool = False, **config: Any) -> Any:
    method = client.models.generate_content_stream if stream else client.models.generate_content
    return method(model=variant.model, contents=PROMPT, config=_merged({"max_output_tokens": MAX_TOKENS}, config))


#: Where each SDK's (non-streamed) answer keeps its finish reason.
FINISH_PATHS = ("choices.0.finish_reason", "stop_reason", "candidates.0.finish_reason")


def returned(call: Callable[[Any, Variant], Any]) -> Callable[[Any, Variant], Mapping[str, Any]]:
    """A probe's facts about what a call returned: its class, the finish reason, or a stream's item count."""

    def run(client: Any, variant: Variant) -> Mapping[str, Any]:
        value = call(client, variant)
        if isinstance(value, Iterable) and hasattr(value, "__next__"):
            return {"type": type(value).__name__, "items": len(list(value))}
        reason = next((r for path in FINISH_PATHS if (r := path_value(value, path)) is not None), None)
        return {"type": type(value).__name__, "finish_reason": str(getattr(reason, "value", reason))}

    return run


#: The minimal chat through each SDK, each answered by an accepted answer its REST target already
#: quotes (a stream where that evidence is a stream): the workaround probe of several SDK quirks.
MINIMAL_CALLS: dict[str, SdkCall] = {
    "openai-sdk@OpenAI": SdkCall(
        returned(lambda c, v: openai_chat(c, v, stream=True, stream_options={"include_usage": True})),
        Replay("stream-usage", "openai@gpt-4o-mini", "include-usage"),
    ),
    "openai-sdk@AzureOpenAI": SdkCall(
        returned(lambda c, v: openai_chat(c, v, stream=True)),
        Replay("stream-usage", "azure_openai@2024-10-21", "stream-default"),
    ),
    "anthropic-sdk": SdkCall(
        returned(lambda c, v: anthropic_messages(c, v, stream=True)),
        Replay("stream-usage", "anthropic@claude-haiku-4-5", "stream-default"),
    ),
    "mistralai-sdk": SdkCall(
        returned(mistral_stream), Replay("stream-usage", "mistral@mistral-small-latest", "stream-default")
    ),
    "google-genai-sdk": SdkCall(
        returned(genai_generate), Replay("max-tokens-required", "gemini@gemini-2.5-flash", "with-max-tokens")
    ),
}
