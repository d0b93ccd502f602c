"""tool-call-shape: whether a server returns a tool call as a structured call or as text."""

from collections.abc import Callable
from typing import Any, get_args

from provider_quirks.dialects import Dialect
from provider_quirks.quirk import STREAMED, Change, Probe, Quirk, apply_change, chat_with
from provider_quirks.tools import call_room_field, forced_tool_field, prompt_field, tools_field
from provider_quirks.wire import WireRequest


def _on_every_dialect(fields: Callable[[Dialect], dict[str, Any]], streamed: bool = False) -> dict[str, Change]:
    """Per dialect: the minimal request with ``fields(dialect)`` set, then streamed if asked."""

    def change(dialect: Dialect) -> Change:
        def build(request: WireRequest) -> Any:
            request = request.with_fields(fields(dialect))
            return apply_change(request, STREAMED[dialect]) if streamed else request

        return build

    return {dialect: change(dialect) for dialect in get_args(Dialect)}


def _offered(dialect: Dialect) -> dict[str, Any]:
    return {**prompt_field(dialect), **tools_field(dialect), **call_room_field(dialect)}


def _forced(dialect: Dialect) -> dict[str, Any]:
    return {**_offered(dialect), **forced_tool_field(dialect)}


QUIRK = Quirk(
    id="tool-call-shape",
    title="Tool calls: structured, or text",
    category="tools",
    summary=(
        "When the model decides to call a tool, OpenAI-style APIs return it in message.tool_calls with "
        "finish_reason 'tool_calls' (Anthropic: a tool_use content block and stop_reason 'tool_use'; Gemini: a "
        "functionCall part). Servers that run open models must parse the model's own tool-call syntax to do "
        "that: llama.cpp's llama-server does; llama-cpp-python's server returns the model's raw text (here "
        "'<tool_call>') as content with finish_reason 'stop' when the tool is only offered, and parses the call "
        "only when tool_choice forces that function."
    ),
    why_it_matters=(
        "An agent loop that waits for tool_calls never sees one and treats the raw tool-call text as the "
        "answer, so the same code works against one server and silently stops calling tools on another."
    ),
    workaround=(
        "Where a server does not parse tool calls in auto mode, force the function with tool_choice (or use a "
        "server or chat template that parses them), and treat text that looks like tool-call syntax as an error."
    ),
    sources=(
        "https://github.com/ggml-org/llama.cpp/blob/master/docs/function-calling.md",
        "https://platform.openai.com/docs/guides/function-calling",
    ),
    probes=(
        Probe(
            id="tool-offered",
            summary="a question the tool answers, with the tool declared and the choice left to the model",
            build=chat_with(_on_every_dialect(_offered)),
        ),
        Probe(
            id="tool-forced",
            summary="the same request with tool_choice forcing the function",
            build=chat_with(_on_every_dialect(_forced)),
            workaround=True,
        ),
        Probe(
            id="tool-forced-streamed",
            summary="the forced request, streamed: the call arrives as deltas",
            build=chat_with(_on_every_dialect(_forced, streamed=True)),
        ),
    ),
)
