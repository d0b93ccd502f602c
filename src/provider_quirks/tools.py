"""One example tool, declared and forced in each dialect's own shape, for the quirks about tool calls.

The declarations differ only in their envelope (OpenAI's ``function`` wrapper, Anthropic's
``input_schema``, Gemini's ``function_declarations``); keeping them here means every quirk sends
the same tool, so their answers can be compared.
"""

from __future__ import annotations

from typing import Any

from provider_quirks.dialects import Dialect

TOOL_NAME = "get_weather"
TOOL_DESCRIPTION = "Current weather in a city"
TOOL_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
}
TOOL_PROMPT = "Weather in Paris?"
#: Output room for one call with a short argument (the minimal request's 8 tokens cut it off).
TOOL_CALL_MAX_TOKENS = 48


def tools_field(dialect: Dialect) -> dict[str, Any]:
    """The request fields that declare the tool."""
    if dialect == "anthropic-messages":
        return {"tools": [{"name": TOOL_NAME, "description": TOOL_DESCRIPTION, "input_schema": TOOL_PARAMETERS}]}
    if dialect == "gemini-generate":
        declaration = {"name": TOOL_NAME, "description": TOOL_DESCRIPTION, "parameters": TOOL_PARAMETERS}
        return {"tools": [{"function_declarations": [declaration]}]}
    function = {"name": TOOL_NAME, "description": TOOL_DESCRIPTION, "parameters": TOOL_PARAMETERS}
    return {"tools": [{"type": "function", "function": function}]}


def forced_tool_field(dialect: Dialect) -> dict[str, Any]:
    """The request fields that make the model call the tool rather than answer in text."""
    if dialect == "anthropic-messages":
        return {"tool_choice": {"type": "tool", "name": TOOL_NAME}}
    if dialect == "gemini-generate":
        return {"toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": [TOOL_NAME]}}}
    return {"tool_choice": {"type": "function", "function": {"name": TOOL_NAME}}}


def prompt_field(dialect: Dialect) -> dict[str, Any]:
    """A user turn that asks for what the tool gives."""
    if dialect == "gemini-generate":
        return {"contents": [{"role": "user", "parts": [{"text": TOOL_PROMPT}]}]}
    return {"messages": [{"role": "user", "content": TOOL_PROMPT}]}


def call_room_field(dialect: Dialect) -> dict[str, Any]:
    """An output cap large enough for the whole tool call."""
    if dialect == "gemini-generate":
        return {"generationConfig": {"maxOutputTokens": TOOL_CALL_MAX_TOKENS}}
    return {"max_tokens": TOOL_CALL_MAX_TOKENS}
