"""One example tool, the same in every quirk about tool calls, so that their answers can be compared.

Each dialect writes it in its own envelope (``WireDialect.declare_tools``, ``force_tool``).
"""

from __future__ import annotations

from typing import Any

from provider_quirks.dialects import Tool

TOOL_NAME = "get_weather"
TOOL_DESCRIPTION = "Current weather in a city"
TOOL_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
}
WEATHER_TOOL = Tool(TOOL_NAME, TOOL_DESCRIPTION, TOOL_PARAMETERS)
#: A user turn that asks for what the tool gives.
TOOL_PROMPT = "Weather in Paris?"
#: Output room for one call with a short argument (the minimal request's 8 tokens cut it off).
TOOL_CALL_MAX_TOKENS = 48
