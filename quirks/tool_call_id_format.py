"""tool-call-id-format: Mistral accepts only 9-character alphanumeric tool call ids.

A conversation replayed with tool calls carries the ids another provider (or the client) made
up: ``call_…`` from OpenAI, ``toolu_…`` from Anthropic, UUIDs from frameworks. Each probe
replays one tool call and its result under one such id; Mistral's error quotes the id, so each
probe sends exactly the id of the body it is checked against.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from provider_quirks.dialects import PROMPT
from provider_quirks.quirk import BuildResult, Change, Probe, Quirk, chat_with
from provider_quirks.targets import Target

#: The shortest history that carries a tool call and its result: the id is the quirk, not the words.
_QUESTION = {"role": "user", "content": PROMPT}
_ARGUMENTS: dict[str, Any] = {}
_RESULT = "sunny"


def _openai_history(call_id: str) -> dict[str, Any]:
    call = {"id": call_id, "type": "function", "function": {"name": "get_weather", "arguments": json.dumps(_ARGUMENTS)}}
    return {
        "messages": [
            _QUESTION,
            {"role": "assistant", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": call_id, "content": _RESULT},
        ]
    }


def _anthropic_history(call_id: str) -> dict[str, Any]:
    call = {"type": "tool_use", "id": call_id, "name": "get_weather", "input": _ARGUMENTS}
    result = {"type": "tool_result", "tool_use_id": call_id, "content": _RESULT}
    return {
        "messages": [
            _QUESTION,
            {"role": "assistant", "content": [call]},
            {"role": "user", "content": [result]},
        ]
    }


def replaying(call_id: str, recorded: Mapping[str, Change] | None = None) -> Callable[[Target], BuildResult]:
    """The minimal request with one tool call and its result, both under ``call_id``.

    ``recorded`` gives, per target, a public recording's own request that replays such an id,
    sent instead so that the recording's answer is the answer to this probe.
    """
    return chat_with(
        {
            **(recorded or {}),
            "openai-chat": _openai_history(call_id),
            "anthropic-messages": _anthropic_history(call_id),
        },
        otherwise="Gemini pairs a function response with its call by name; ids are optional",
    )


def _recorded_call(call_id: str, country: str) -> dict[str, Any]:
    """An assistant tool call as pydantic-ai replays it (null content, compact JSON arguments)."""
    arguments = json.dumps({"country": country}, separators=(",", ":"))
    function = {"arguments": arguments, "name": "get_capital"}
    return {
        "content": None,
        "role": "assistant",
        "tool_calls": [{"function": function, "id": call_id, "type": "function"}],
    }


_PYDANTIC_AI_ID = "pyd_ai_5c28ff78075941bd9a9fd2f43fe84ae1"
_OPENAI_ID = "call_NihFwNUckQ2eDoE0a9OQaO5l"
#: pydantic-ai's get_capital tool, with the one property its calls use.
_CAPITAL_TOOL = {
    "function": {
        "name": "get_capital",
        "parameters": {"properties": {"country": {"type": "string"}}, "required": ["country"], "type": "object"},
    },
    "type": "function",
}
#: pydantic-ai's recorded gpt-4o-mini history (test_multiple_agent_tool_calls, last interaction): it replays a
#: pydantic-ai-made id and then an id OpenAI generated (call_...), each with its tool result. The source also
#: described the tool, made it strict, set tool_choice auto and no cap; those decide the answer, not whether
#: the ids are accepted, so the probe keeps the minimal request's cap.
_RECORDED_OPENAI_REPLAY: dict[str, Any] = {
    "messages": [
        {"content": "What is the capital of France?", "role": "user"},
        _recorded_call(_PYDANTIC_AI_ID, "France"),
        {"content": "Paris", "role": "tool", "tool_call_id": _PYDANTIC_AI_ID},
        {"content": "The capital of France is Paris.", "role": "assistant"},
        {"content": "What is the capital of England?", "role": "user"},
        _recorded_call(_OPENAI_ID, "England"),
        {"content": "London", "role": "tool", "tool_call_id": _OPENAI_ID},
    ],
    "tools": [_CAPITAL_TOOL],
}

QUIRK = Quirk(
    id="tool-call-id-format",
    title="Tool call id format",
    category="tools",
    summary=(
        "When a conversation is sent back with the assistant's tool calls and their results, each tool "
        "call carries an id. OpenAI generates ids like call_abc… and Anthropic toolu_01…; Anthropic accepts "
        "any id matching ^[a-zA-Z0-9_-]+$, and OpenAI accepted a 2026 replay (gpt-4o-mini) of both its own "
        "call_ id and a framework-made one (pyd_ai_ and 32 hex digits). "
        "Mistral requires exactly 9 characters from a-z, A-Z and 0-9 and rejects every other id with a 400 "
        "that quotes it: 'Tool call id was <id> but must be a-z, A-Z, 0-9, with a length of 9.' (type "
        "invalid_request_error in reports up to July 2025, invalid_function_call with code 3280 from December 2025)."
    ),
    why_it_matters=(
        "An agent that switches to Mistral mid-conversation, replays a history recorded with another "
        "provider, or makes up its own ids fails on the first request after a tool call, though the first "
        "tool call itself worked."
    ),
    workaround=(
        "Generate tool call ids of exactly 9 alphanumeric characters (e.g. '9v45XkLNV'), or map foreign ids "
        "to such ids, consistently in the assistant's tool call and the tool result, before sending to Mistral."
    ),
    sources=(
        "https://github.com/jackmpcollins/magentic/issues/276",
        "https://github.com/BibekBhusal0/zen-custom-js/pull/7",
        "https://github.com/editor-code-assistant/eca/issues/233",
        "https://github.com/nearai/ironclaw/issues/1241",
        "https://github.com/mistralai/mistral-vibe/issues/1075",
    ),
    probes=(
        Probe(
            id="openai-style-id",
            summary="tool call id call_search (an OpenAI-style call_ prefix)",
            build=replaying("call_search", {"openai@gpt-4o-mini": _RECORDED_OPENAI_REPLAY}),
        ),
        Probe(
            id="uuid-id",
            summary="tool call id ee61e87d-25d8-4bad-8e47-02939eb234c5 (a UUID)",
            build=replaying("ee61e87d-25d8-4bad-8e47-02939eb234c5"),
        ),
        Probe(
            id="short-id",
            summary="tool call id turn1_0 (7 characters with an underscore)",
            build=replaying("turn1_0"),
        ),
        Probe(
            id="hex-id",
            summary="tool call id 38f04d9ea185424a8dc6ed9a88da5 (29 hex characters)",
            build=replaying("38f04d9ea185424a8dc6ed9a88da5"),
        ),
        Probe(
            id="nine-alphanumeric-id",
            summary="tool call id 9v45XkLNV (9 alphanumeric characters, as Mistral generates them)",
            build=replaying("9v45XkLNV"),
            shows_workaround=True,
        ),
    ),
)
