"""json-schema-subset: which JSON Schema a provider takes for structured output."""

from typing import Any

from provider_quirks.dialects import OPENAI_CHAT
from provider_quirks.quirk import Probe, Quirk, chat_with

_PROPERTIES: dict[str, Any] = {"greeting": {"type": "string"}}
#: An object schema as most generators write it: no additionalProperties, which OpenAI's strict mode requires.
_OPEN_OBJECT: dict[str, Any] = {"type": "object", "properties": _PROPERTIES, "required": ["greeting"]}
#: The subset every strict implementation documents: additionalProperties false and every property required.
_CLOSED_OBJECT: dict[str, Any] = {**_OPEN_OBJECT, "additionalProperties": False}
_NATIVE = "OpenAI's response_format; the Messages API and generateContent have their own structured-output fields"


def _structured(schema: dict[str, Any]) -> dict[str, Any]:
    """A strict json_schema response_format for ``schema``, with a prompt that asks for JSON."""
    response_format = {"type": "json_schema", "json_schema": {"name": "greeting", "strict": True, "schema": schema}}
    return {**OPENAI_CHAT.conversation([("user", "Say hi in JSON")]), "response_format": response_format}


QUIRK = Quirk(
    id="json-schema-subset",
    title="Which JSON Schema structured output accepts",
    category="request validation",
    claim=(
        "2024 note, after OpenAI's structured outputs: pass a JSON Schema as response_format (or as a tool's "
        "parameters) and every OpenAI-compatible API constrains the answer to it."
    ),
    summary=(
        "Each API accepts its own subset of JSON Schema, or none. OpenAI's strict mode refuses an object "
        "without 'additionalProperties': false ('additionalProperties' is required to be supplied and to be "
        "false') and wants every property in required; Groq documents the same rules and refuses keywords such "
        "as minItems; DeepSeek has no json_schema at all ('This response_format type is unavailable now', 400, "
        "422 until 2025) and only json_object; Gemini's function declarations refuse additionalProperties, "
        "$schema and const ('Unknown name ... Cannot find field'); xAI refused strict on function tools in 2025; "
        "Anthropic's OpenAI-compatible layer ignores response_format and strict. Recorded: llama-server takes "
        "both the open and the closed object; llama-cpp-python 0.3.36 knows only text and json_object and "
        "answers json_schema with a 500 carrying its validation error."
    ),
    why_it_matters=(
        "A schema generated once (from Pydantic, Zod) is refused by one provider and silently unenforced by "
        "another, so structured output that works on OpenAI fails or returns unchecked JSON elsewhere."
    ),
    workaround=(
        "Send the strict subset (type object, additionalProperties false, every property required, no $schema, "
        "const or length keywords) and validate the answer yourself; where json_schema is refused (DeepSeek), "
        "fall back to json_object with the schema in the prompt."
    ),
    sources=(
        "https://github.com/dottxt-ai/outlines/issues/844",
        "https://github.com/letta-ai/letta/issues/3137",
        "https://console.groq.com/docs/structured-outputs.md",
        "https://github.com/i-am-bee/beeai-framework/issues/1215",
        "https://github.com/llm-exe/llm-exe/issues/662",
        "https://github.com/openswarm-ai/openswarm/issues/24",
        "https://github.com/livekit/agents/issues/2253",
        "https://docs.anthropic.com/ja/api/openai-sdk",
    ),
    probes=(
        Probe(
            id="open-object",
            summary="strict json_schema response_format whose object schema omits additionalProperties",
            build=chat_with({"openai-chat": _structured(_OPEN_OBJECT)}, otherwise=_NATIVE),
        ),
        Probe(
            id="closed-object",
            summary="the same schema in the strict subset: additionalProperties false, every property required",
            build=chat_with({"openai-chat": _structured(_CLOSED_OBJECT)}, otherwise=_NATIVE),
            shows_workaround=True,
        ),
    ),
)
