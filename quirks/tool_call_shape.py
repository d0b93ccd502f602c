"""tool-call-shape: whether a server returns a tool call as a structured call or as text."""

from collections.abc import Callable, Mapping
from typing import Any, get_args

from provider_quirks.dialects import Dialect
from provider_quirks.quirk import STREAMED, BuildResult, Change, Probe, Quirk, apply_change, chat_with
from provider_quirks.targets import CORE_TARGETS, Target, resolve_target
from provider_quirks.tools import call_room_field, forced_tool_field, prompt_field, tools_field
from provider_quirks.wire import REMOVE, WireRequest


def _with_fields(fields: Mapping[str, Any], dialect: Dialect, streamed: bool = False) -> Change:
    """The minimal request with ``fields`` set, then streamed the dialect's way if asked."""

    def build(request: WireRequest) -> Any:
        request = request.with_fields(fields)
        return apply_change(request, STREAMED[dialect]) if streamed else request

    return build


def _offered(dialect: Dialect) -> dict[str, Any]:
    return {**prompt_field(dialect), **tools_field(dialect), **call_room_field(dialect)}


def _forced(dialect: Dialect) -> dict[str, Any]:
    return {**_offered(dialect), **forced_tool_field(dialect)}


def _probe(
    own: dict[Dialect, dict[str, Any]], quoted: Mapping[str, Mapping[str, Any]], streamed: bool = False
) -> Callable[[Target], BuildResult]:
    """This suite's request on every dialect, and a quoted recording's own request on the targets it answers."""
    changes: dict[str, Change] = {dialect: _with_fields(fields, dialect, streamed) for dialect, fields in own.items()}
    for target, fields in quoted.items():
        changes[target] = _with_fields(fields, resolve_target(target).provider.dialect, streamed)
    return chat_with(changes)


def _every_dialect(fields: Callable[[Dialect], dict[str, Any]]) -> dict[Dialect, dict[str, Any]]:
    return {dialect: fields(dialect) for dialect in get_args(Dialect)}


# The hosted cells quote Mirascope's recorded end-to-end tests.
# test_call_with_tools: a question that needs the tool twice, the choice left to the model. This probe sends the
# recorded request on those targets (its system text, question and tool, no output cap): that the model calls
# the tool at all, and twice in one answer, depends on all three, so this larger request is the one quoted.
_SECRET_SYSTEM = "Use parallel tool calling."
_SECRET_PROMPT = "Please retrieve the secrets associated with each of these passwords: mellon,radiance"
_SECRET_TOOL = {"name": "secret_retrieval_tool", "description": "A tool that requires a password to retrieve a secret."}
_SECRET_CHAT = {
    "messages": [{"role": "system", "content": _SECRET_SYSTEM}, {"role": "user", "content": _SECRET_PROMPT}],
    "max_tokens": REMOVE,
    "tools": [
        {
            "type": "function",
            "function": {
                **_SECRET_TOOL,
                "parameters": {
                    "properties": {"password": {"title": "Password", "type": "string"}},
                    "required": ["password"],
                    "additionalProperties": False,
                    "type": "object",
                },
                "strict": False,
            },
        }
    ],
}
_SECRET_GEMINI = {
    "contents": [{"parts": [{"text": _SECRET_PROMPT}], "role": "user"}],
    "generationConfig": {},
    "systemInstruction": {"parts": [{"text": _SECRET_SYSTEM}], "role": "user"},
    "tools": [
        {
            "functionDeclarations": [
                {
                    **_SECRET_TOOL,
                    "parameters": {
                        "properties": {"password": {"title": "Password", "type": "STRING"}},
                        "required": ["password"],
                        "type": "OBJECT",
                    },
                }
            ]
        }
    ],
}
# test_structured_output (tool mode): one output tool, forced by name. The source declared Mirascope's Book
# model (a title, a nested author and a rating) under a system text; a forced call's form and finish reason do
# not depend on the schema, so the probe keeps the question and the tool's name and declares one property.
_BOOK_TOOL = "__mirascope_formatted_output_tool__"
_BOOK_PROMPT = "Please recommend the most popular book by Patrick Rothfuss"
_TITLE_SCHEMA: dict[str, Any] = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
#: Output room for one short forced call: a cut-off call would end in 'length'/'max_tokens' instead of the
#: finish reason that is the quirk (Anthropic's call with the source's four values took 81 tokens).
_BOOK_CALL_ROOM = 64
_BOOK_CHAT: dict[str, Any] = {
    "messages": [{"role": "user", "content": _BOOK_PROMPT}],
    "max_tokens": _BOOK_CALL_ROOM,
    "parallel_tool_calls": False,
    "tool_choice": {"type": "function", "function": {"name": _BOOK_TOOL}},
    "tools": [{"type": "function", "function": {"name": _BOOK_TOOL, "parameters": _TITLE_SCHEMA}}],
}
_BOOK_ANTHROPIC: dict[str, Any] = {
    "max_tokens": _BOOK_CALL_ROOM,
    "messages": [{"role": "user", "content": _BOOK_PROMPT}],
    "model": "claude-sonnet-4-5",
    "tool_choice": {"type": "tool", "name": _BOOK_TOOL, "disable_parallel_tool_use": True},
    "tools": [{"name": _BOOK_TOOL, "input_schema": _TITLE_SCHEMA}],
}
# No output cap on Gemini: gemini-2.5-flash thinks before it calls (76 and 218 thought tokens in the sources),
# and maxOutputTokens counts those, so a cap would cut the call off.
_BOOK_GEMINI: dict[str, Any] = {
    "contents": [{"parts": [{"text": _BOOK_PROMPT}], "role": "user"}],
    "generationConfig": {},
    "tools": [{"functionDeclarations": [{"name": _BOOK_TOOL, "parameters": _TITLE_SCHEMA}]}],
    "toolConfig": {"functionCallingConfig": {"allowedFunctionNames": [_BOOK_TOOL], "mode": "ANY"}},
}
_OFFERED_QUOTES = {
    "openai@gpt-4o": _SECRET_CHAT,
    "azure_openai@2024-10-21": {**_SECRET_CHAT, "model": "gpt-4o-mini"},
    "gemini@gemini-2.5-flash": _SECRET_GEMINI,
}
_FORCED_QUOTES: dict[str, dict[str, Any]] = {
    "openai@gpt-4o": _BOOK_CHAT,
    "anthropic@claude-sonnet-4-5": _BOOK_ANTHROPIC,
    "azure_openai@2024-10-21": {**_BOOK_CHAT, "model": "gpt-4o-mini"},
    "gemini@gemini-2.5-flash": _BOOK_GEMINI,
}


QUIRK = Quirk(
    id="tool-call-shape",
    title="Tool calls: structured, or text",
    category="tools",
    summary=(
        "When the model decides to call a tool, OpenAI-style APIs return it in message.tool_calls with "
        "finish_reason 'tool_calls' (Anthropic: a tool_use content block and stop_reason 'tool_use'; Gemini: a "
        "functionCall part, with finishReason 'STOP' as for text). Recorded answers from OpenAI (gpt-4o), Azure "
        "OpenAI (gpt-4o-mini, 2024-10-21) and Gemini 2.5 Flash return a question that needs two lookups as two "
        "structured calls in one answer. When tool_choice forces a named function, OpenAI and Azure still return "
        "the call in tool_calls, streamed or not, but with finish_reason 'stop' instead of 'tool_calls' "
        "(Anthropic keeps stop_reason 'tool_use', recorded on claude-sonnet-4-5). "
        "Servers that run open models must parse the model's own tool-call syntax to return a structured call: "
        "llama.cpp's llama-server does; llama-cpp-python's server returns the model's raw text (here "
        "'<tool_call>') as content with finish_reason 'stop' when the tool is only offered, and parses the call "
        "only when tool_choice forces that function."
    ),
    why_it_matters=(
        "An agent loop that waits for tool_calls never sees one and treats the raw tool-call text as the "
        "answer, so the same code works against one server and silently stops calling tools on another; a loop "
        "that dispatches on finish_reason == 'tool_calls' misses every forced call from OpenAI and Azure."
    ),
    workaround=(
        "Where a server does not parse tool calls in auto mode, force the function with tool_choice (or use a "
        "server or chat template that parses them), and treat text that looks like tool-call syntax as an error. "
        "Decide that the model called a tool from the presence of tool_calls (functionCall parts, tool_use "
        "blocks), never from finish_reason."
    ),
    sources=(
        "https://github.com/ggml-org/llama.cpp/blob/master/docs/function-calling.md",
        "https://platform.openai.com/docs/guides/function-calling",
        "https://github.com/Mirascope/mirascope/blob/3174817259f1960ba5a5865e6b30ce08b2db1b29/python/tests/e2e/output/cassettes/test_call_with_tools/azure-openai_completions_gpt_4o_mini/sync.yaml",
    ),
    targets=(*CORE_TARGETS, "openai@gpt-4o", "anthropic@claude-sonnet-4-5"),
    # The quirk is the answer's form: a structured call, or its raw text, and the finish reason sent with it.
    pinned=("text", "finish_reason"),
    probes=(
        Probe(
            id="tool-offered",
            summary="a question the tool answers, with the tool declared and the choice left to the model",
            build=_probe(_every_dialect(_offered), _OFFERED_QUOTES),
        ),
        Probe(
            id="tool-forced",
            summary="a question the tool answers, with tool_choice forcing the function by name",
            build=_probe(_every_dialect(_forced), _FORCED_QUOTES),
            shows_workaround=True,
        ),
        Probe(
            id="tool-forced-streamed",
            summary="the forced request, streamed: the call arrives as deltas",
            build=_probe(_every_dialect(_forced), _FORCED_QUOTES, streamed=True),
        ),
    ),
)
