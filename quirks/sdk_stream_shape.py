"""sdk-stream-shape: how each official SDK hands out a streamed answer, and where its usage is."""

from collections.abc import Mapping
from typing import Any

from provider_quirks.providers import Variant
from provider_quirks.sdk.calls import anthropic_messages, genai_generate, mistral_stream, openai_chat
from provider_quirks.sdk.clients import SDK_TARGETS
from provider_quirks.sdk.observe import path_value, where
from provider_quirks.sdk.quirk import Replay, SdkCall, SdkQuirk, sdk_probe

#: The same attribute paths are looked up on every SDK's chunks, so the cells compare side by side.
PATHS = ("choices", "data.choices", "usage", "data.usage", "message.usage", "usage_metadata", "type")


def openai_chunks(client: Any, variant: Variant) -> list[Any]:
    """With include_usage on OpenAI; the Azure evidence stream was answered to a request without it."""
    options = {"stream_options": {"include_usage": True}} if variant.api_version is None else {}
    return list(openai_chat(client, variant, stream=True, **options))


def anthropic_events(client: Any, variant: Variant) -> list[Any]:
    return list(anthropic_messages(client, variant, stream=True))


def mistral_events(client: Any, variant: Variant) -> list[Any]:
    return list(mistral_stream(client, variant))


def genai_chunks(client: Any, variant: Variant) -> list[Any]:
    return list(genai_generate(client, variant, stream=True))


def facts(chunks: list[Any], text_path: str) -> Mapping[str, Any]:
    """The chunk class, how many, the text they carry, and on which chunks each path has a value."""
    texts = [path_value(chunk, text_path) for chunk in chunks]
    return {
        "chunk_type": type(chunks[0]).__name__ if chunks else None,
        "chunks": len(chunks),
        "text": "".join(t for t in texts if isinstance(t, str)),
        "paths": {path: where(chunks, path) for path in PATHS},
    }


def first_text(chunks: list[Any], choices_path: str) -> str:
    """How the text of a chunk is reached: ``choices[0].delta.content`` when that works."""
    for chunk in chunks:
        choices = path_value(chunk, choices_path)
        if choices:
            return f"{choices_path}[0].delta.content" if getattr(choices[0].delta, "content", None) is not None else ""
    return ""


def openai_shape(client: Any, variant: Variant) -> Mapping[str, Any]:
    chunks = openai_chunks(client, variant)
    return {**facts(chunks, "choices.0.delta.content"), "first_text": first_text(chunks, "choices")}


def anthropic_shape(client: Any, variant: Variant) -> Mapping[str, Any]:
    events = anthropic_events(client, variant)
    # Consecutive repeats collapse: how many text deltas arrive is the sample, their order is the shape.
    types = [event.type for event in events]
    return {**facts(events, "delta.text"), "types": [t for i, t in enumerate(types) if i == 0 or types[i - 1] != t]}


def mistral_shape(client: Any, variant: Variant) -> Mapping[str, Any]:
    chunks = mistral_events(client, variant)
    return {**facts(chunks, "data.choices.0.delta.content"), "first_text": first_text(chunks, "data.choices")}


def genai_shape(client: Any, variant: Variant) -> Mapping[str, Any]:
    return facts(genai_chunks(client, variant), "text")


def _tokens(usage: Any, names: tuple[str, str]) -> dict[str, Any]:
    return {"input_tokens": path_value(usage, names[0]), "output_tokens": path_value(usage, names[1])}


def openai_adapter(client: Any, variant: Variant) -> Mapping[str, Any]:
    """Text from non-empty choices only; usage from the last chunk (None unless include_usage was honoured)."""
    chunks = openai_chunks(client, variant)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    return {"text": text, **_tokens(chunks[-1].usage, ("prompt_tokens", "completion_tokens"))}


def mistral_adapter(client: Any, variant: Variant) -> Mapping[str, Any]:
    """Mistral's events carry the OpenAI-shaped chunk in ``.data``."""
    chunks = [event.data for event in mistral_events(client, variant)]
    contents = [c.choices[0].delta.content for c in chunks if c.choices]
    text = "".join(content for content in contents if isinstance(content, str))  # may also be a list of parts
    return {"text": text, **_tokens(chunks[-1].usage, ("prompt_tokens", "completion_tokens"))}


def anthropic_adapter(client: Any, variant: Variant) -> Mapping[str, Any]:
    """Input tokens from message_start, output tokens from message_delta, text from text deltas."""
    events = anthropic_events(client, variant)
    text = "".join(e.delta.text for e in events if e.type == "content_block_delta" and e.delta.type == "text_delta")
    start = next(e for e in events if e.type == "message_start")
    delta = next(e for e in events if e.type == "message_delta")
    return {"text": text, "input_tokens": start.message.usage.input_tokens, "output_tokens": delta.usage.output_tokens}


def genai_adapter(client: Any, variant: Variant) -> Mapping[str, Any]:
    """Every chunk is a whole response; the last one's usage_metadata holds the totals."""
    chunks = genai_chunks(client, variant)
    text = "".join(chunk.text or "" for chunk in chunks)
    return {"text": text, **_tokens(chunks[-1].usage_metadata, ("prompt_token_count", "candidates_token_count"))}


#: The REST cells' streams each SDK replays (the REST probe's request is the SDK's, see ``as_evidence``).
ANSWERS = {
    "openai-sdk@OpenAI": Replay("stream-usage", "openai@gpt-4o-mini", "include-usage"),
    "openai-sdk@AzureOpenAI": Replay("stream-usage", "azure_openai@2024-10-21", "stream-default"),
    "anthropic-sdk": Replay("stream-usage", "anthropic@claude-haiku-4-5", "stream-default"),
    "mistralai-sdk": Replay("stream-usage", "mistral@mistral-small-latest", "stream-default"),
    "google-genai-sdk": Replay("stream-usage", "gemini@gemini-2.5-flash", "stream-default"),
}
SHAPES = {
    "openai-sdk@OpenAI": openai_shape,
    "openai-sdk@AzureOpenAI": openai_shape,
    "anthropic-sdk": anthropic_shape,
    "mistralai-sdk": mistral_shape,
    "google-genai-sdk": genai_shape,
}
ADAPTERS = {
    "openai-sdk@OpenAI": openai_adapter,
    "openai-sdk@AzureOpenAI": openai_adapter,
    "anthropic-sdk": anthropic_adapter,
    "mistralai-sdk": mistral_adapter,
    "google-genai-sdk": genai_adapter,
}

QUIRK = SdkQuirk(
    id="sdk-stream-shape",
    title="Streamed chunks and usage in the official SDKs",
    category="sdk",
    claim=(
        "2024 note: Mistral's SDK reads a streamed chunk as chunk?.data?.choices?.[0]?.delta?.content where the REST "
        "API has chunk?.choices?.[0]?.delta?.content (JavaScript); with AzureOpenAI 'even if we add stream_options "
        "... there is no usage return as in OpenAI class!'"
    ),
    summary=(
        "Each SDK turns the same kind of event stream into its own objects. The openai SDK yields "
        "ChatCompletionChunk objects with chunk.choices, and usage only on the last chunk (whose choices list is "
        "empty) when stream_options asks for it. Mistral's SDK wraps every chunk in an event: the choices are at "
        "chunk.data.choices and usage at chunk.data.usage. Anthropic's SDK yields typed events (message_start, "
        "content_block_delta, message_delta, ...) with input usage in message_start.message.usage and the output "
        "count in message_delta.usage. google-genai yields whole GenerateContentResponse objects with usage_metadata "
        "on every chunk. AzureOpenAI also sends the deployment as model in the body. The answers replayed are "
        "the REST cells' cited streams; the shapes are measured on the installed SDKs."
    ),
    why_it_matters=(
        "Code written against one SDK's chunks (chunk.choices[0].delta.content) raises AttributeError or "
        "IndexError on another (Mistral's chunk has no choices; OpenAI's usage chunk has an empty choices list), "
        "and token accounting silently reads zero when it looks for usage on the wrong object."
    ),
    workaround=(
        "Write one adapter per SDK that yields (text, usage) pairs: openai: chunk.choices[0].delta.content when "
        "choices is non-empty, chunk.usage on the last chunk; mistralai: the same under chunk.data; anthropic: "
        "content_block_delta.delta.text, usage from message_start and message_delta; google-genai: chunk.text and "
        "the last chunk's usage_metadata."
    ),
    sources=(
        "https://github.com/openai/openai-python/blob/main/src/openai/types/chat/chat_completion_chunk.py",
        "https://docs.mistral.ai/capabilities/completion/",
        "https://docs.anthropic.com/en/api/messages-streaming",
        "https://googleapis.github.io/python-genai/",
    ),
    targets=SDK_TARGETS,
    probes=(
        sdk_probe(
            id="stream-chunks",
            summary="stream the minimal chat through the SDK and read every chunk (OpenAI: with include_usage)",
            calls={target: SdkCall(SHAPES[target], ANSWERS[target]) for target in ANSWERS},
            otherwise="no streaming call",
        ),
        sdk_probe(
            id="adapter",
            summary="the same stream read through a per-SDK adapter that yields the text and the token counts",
            calls={target: SdkCall(ADAPTERS[target], ANSWERS[target]) for target in ANSWERS},
            otherwise="no streaming call",
            shows_workaround=True,
        ),
    ),
)
