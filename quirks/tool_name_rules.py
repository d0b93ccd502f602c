"""tool-name-rules: which tool (function) names each provider accepts.

Each dialect declares the tools in its own shape (``declare_tools``); they take no arguments, so
Gemini's declaration carries the name only (it rejects an object schema with no properties).
Error bodies name the offending tool's index; a probe puts its tool at the index its evidence
names (earlier slots hold valid filler tools), so that the quoted body answers the sent request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from provider_quirks.dialects import Tool
from provider_quirks.quirk import BuildResult, Probe, Quirk
from provider_quirks.targets import Target


def tools_up_to(name: str, at: int = 0) -> list[Tool]:
    """Tools without arguments: valid fillers ``tool_0``… then ``name`` at index ``at``."""
    return [Tool(n) for n in [*(f"tool_{i}" for i in range(at)), name]]


def declaring(name: str, at: Mapping[str, int] | None = None) -> Callable[[Target], BuildResult]:
    """A probe builder: the minimal chat request plus one tool called ``name``.

    ``at`` maps a target id or provider name to the index its evidence names (default 0).
    """
    positions = dict(at or {})

    def build(target: Target) -> BuildResult:
        index = positions.get(target.id, positions.get(target.provider.name, 0))
        request = target.provider.minimal_chat(target.variant)
        return request.with_fields(target.provider.dialect.declare_tools(tools_up_to(name, index)))

    return build


def padded(length: int) -> str:
    """A name of exactly ``length`` characters that is valid everywhere except for its length."""
    return ("get_weather_" + "x" * length)[:length]


QUIRK = Quirk(
    id="tool-name-rules",
    title="Allowed tool (function) names",
    category="tools",
    claim=(
        "2024 note: different from other services, Gemini doesn't allow the name of a tool starting with "
        "special characters like - or ."
    ),
    summary=(
        "Every provider validates tool names against its own rule, and the rules disagree. OpenAI: "
        "^[a-zA-Z0-9_-]+$, at most 64 characters (no dots, slashes or spaces). Anthropic: "
        "^[a-zA-Z0-9_-]{1,128}$ (64 until mid-2025). Gemini: must start with a letter or an underscore, "
        "then letters, digits, '_', '.', ':' or '-', at most 64 characters, so it accepts dots that OpenAI "
        "and Anthropic reject and rejects a leading '-' that they accept. Mistral: letters, digits, '_' and "
        "'-', at most 64. The error names the offending tool by its index in the request."
    ),
    why_it_matters=(
        "Tool names generated from MCP servers, file names or HTTP routes (server.tool, get_/users, "
        "mcp__server__very_long_tool_name) work on one provider and make every request fail on another, "
        "including requests that never call the tool."
    ),
    workaround=(
        "Keep tool names within the intersection of all rules: start with a letter, use only "
        "a-z A-Z 0-9 _ -, at most 64 characters. Map names that are not (dots, slashes, long prefixes) "
        "to safe aliases and back."
    ),
    sources=(
        "https://github.com/kaitranntt/ccs/issues/25",
        "https://github.com/run-llama/llama_index/issues/16093",
        "https://github.com/brekkylab/ailoy/pull/109",
        "https://github.com/home-assistant/core/issues/147760",
        "https://github.com/jedisct1/openapi-mcp/issues/9",
        "https://github.com/anthropics/claude-code/issues/96152",
        "https://github.com/Kochava-Studios/witsy/pull/164",
    ),
    probes=(
        Probe(
            id="leading-dash",
            summary="a tool named -get_weather (the note's case)",
            build=declaring("-get_weather"),
        ),
        Probe(
            id="dot-in-name",
            summary="a tool named assist.HassTurnOn",
            build=declaring("assist.HassTurnOn"),
        ),
        Probe(
            id="slash-in-name",
            summary="a tool named srv/get_weather",
            build=declaring("srv/get_weather", at={"anthropic": 73}),
        ),
        Probe(
            id="name-65-chars",
            summary="a tool name of 65 characters",
            build=declaring(padded(65)),
        ),
        Probe(
            id="name-129-chars",
            summary="a tool name of 129 characters",
            build=declaring(padded(129), at={"anthropic": 18}),
        ),
        Probe(
            id="safe-name",
            summary="a tool named get_weather (letters, digits, _ and - only, under 64 characters)",
            build=declaring("get_weather"),
            shows_workaround=True,
        ),
    ),
)
