"""sdk-field-names: the names an SDK gives the wire's finish reason, usage and tool calls."""

from collections.abc import Callable, Mapping
from typing import Any

from provider_quirks.dialects import MAX_TOKENS
from provider_quirks.providers import Variant
from provider_quirks.sdk.calls import MESSAGES, OMIT, genai_generate, mistral_chat, openai_chat
from provider_quirks.sdk.clients import SDK_TARGETS
from provider_quirks.sdk.quirk import Replay, SdkCall, SdkQuirk, sdk_probe

#: The same candidate names are looked up on every SDK's answer: wire spelling and Python spelling.
NAMES = (
    "choices.0.finish_reason",
    "choices.0.finishReason",
    "choices.0.message.tool_calls",
    "choices.0.message.toolCalls",
    "stop_reason",
    "candidates.0.finish_reason",
    "candidates.0.finishReason",
    "candidates.0.content.parts.0.function_call",
    "candidates.0.content.parts.0.functionCall",
    "usage.prompt_tokens",
    "usage.promptTokens",
    "usage.input_tokens",
    "usage_metadata.prompt_token_count",
    "usageMetadata.promptTokenCount",
)


def has_name(value: Any, path: str) -> bool:
    """Whether every step of ``path`` exists (an attribute, a key, an index), whatever its value."""
    for step in path.split("."):
        if step.isdigit():
            if not isinstance(value, list) or int(step) >= len(value):
                return False
            value = value[int(step)]
        elif isinstance(value, Mapping):
            if step not in value:
                return False
            value = value[step]
        elif hasattr(value, step):  # an attribute, even when its value is None (no tool call in this answer)
            value = getattr(value, step)
        else:
            return False
    return True


def names(call: Callable[[Any, Variant], Any]) -> Callable[[Any, Variant], Mapping[str, Any]]:
    def run(client: Any, variant: Variant) -> Mapping[str, Any]:
        answer = call(client, variant)
        return {"type": type(answer).__name__, "names": [name for name in NAMES if has_name(answer, name)]}

    return run


def dumped(call: Callable[[Any, Variant], Any]) -> Callable[[Any, Variant], Mapping[str, Any]]:
    """The answer as JSON with the wire's names (pydantic aliases): what to log or forward."""

    def run(client: Any, variant: Variant) -> Mapping[str, Any]:
        data = call(client, variant).model_dump(mode="json", by_alias=True, exclude_none=True)
        usage = data.get("usage") or data.get("usageMetadata") or data.get("usage_metadata") or {}
        return {"keys": sorted(data), "usage_keys": sorted(usage)}

    return run


def openai_streamed(client: Any, variant: Variant) -> Any:
    """The helper that assembles a stream into a ChatCompletion (the Azure evidence is a stream)."""
    with client.chat.completions.stream(model=variant.model, messages=MESSAGES, max_tokens=MAX_TOKENS) as stream:
        return stream.get_final_completion()


def anthropic_streamed(client: Any, variant: Variant) -> Any:
    """The helper that assembles a stream into a Message (the Anthropic evidence is a stream)."""
    with client.messages.stream(model=variant.model, messages=MESSAGES, max_tokens=MAX_TOKENS) as stream:
        return stream.get_final_message()


ANSWERS = {
    "openai-sdk@OpenAI": Replay("max-tokens-required", "openai@gpt-4o-mini", "no-max-tokens"),
    "openai-sdk@AzureOpenAI": Replay("stream-usage", "azure_openai@2024-10-21", "stream-default"),
    "anthropic-sdk": Replay("stream-usage", "anthropic@claude-haiku-4-5", "stream-default"),
    "mistralai-sdk": Replay("max-tokens-required", "mistral@mistral-small-latest", "no-max-tokens"),
    "google-genai-sdk": Replay("max-tokens-required", "gemini@gemini-2.5-flash", "with-max-tokens"),
}
CALLS: dict[str, Callable[[Any, Variant], Any]] = {
    "openai-sdk@OpenAI": lambda c, v: openai_chat(c, v, max_tokens=OMIT),
    "openai-sdk@AzureOpenAI": openai_streamed,
    "anthropic-sdk": anthropic_streamed,
    "mistralai-sdk": lambda c, v: mistral_chat(c, v, max_tokens=OMIT),
    "google-genai-sdk": genai_generate,
}

QUIRK = SdkQuirk(
    id="sdk-field-names",
    title="Field names in the official SDKs' answers",
    category="sdk",
    claim=(
        "2024 note (Mistral): 'if you use rest api, it's tool_calls in the returned object where it's toolCalls if "
        "you use sdk. The same for others like finish_reason or prompt_tokens.'"
    ),
    summary=(
        "The Python SDKs keep the wire's snake_case where the API uses it (openai, mistralai: "
        "choices[0].finish_reason, message.tool_calls, usage.prompt_tokens; anthropic: stop_reason, "
        "usage.input_tokens). google-genai renames Gemini's camelCase JSON to snake_case attributes "
        "(finishReason -> candidates[0].finish_reason, usageMetadata.promptTokenCount -> "
        "usage_metadata.prompt_token_count), and dumping its objects with by_alias=True gives the wire's names "
        "back (plus SDK-only keys such as sdkHttpResponse). The camelCase renaming of the 2024 note is in "
        "Mistral's JavaScript SDK, which this Python suite does not run. Answers are the REST cells' cited "
        "evidence; the names are read from the installed SDKs."
    ),
    why_it_matters=(
        "Code that reads Gemini's JSON (usageMetadata.promptTokenCount) fails on google-genai objects and the "
        "other way round; logging SDK objects as JSON gives different key names depending on how they are dumped."
    ),
    workaround=(
        "Read SDK objects by their Python attribute names, and when the wire JSON is needed dump them with "
        "model_dump(mode='json', by_alias=True) (or read the raw response) instead of renaming keys by hand."
    ),
    sources=(
        "https://googleapis.github.io/python-genai/",
        "https://github.com/mistralai/client-ts",
        "https://github.com/openai/openai-python/blob/main/src/openai/types/chat/chat_completion.py",
    ),
    targets=SDK_TARGETS,
    probes=(
        sdk_probe(
            "attribute-names",
            "which wire or Python names exist on the SDK's answer (finish reason, tool calls, usage)",
            {target: SdkCall(names(CALLS[target]), ANSWERS[target]) for target in CALLS},
            "no such call",
        ),
        sdk_probe(
            "dump-by-alias",
            "the answer dumped with model_dump(mode='json', by_alias=True): its top-level and usage keys",
            {target: SdkCall(dumped(CALLS[target]), ANSWERS[target]) for target in CALLS},
            "no such call",
            shows_workaround=True,
        ),
    ),
)
