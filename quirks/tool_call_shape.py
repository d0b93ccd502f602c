"""tool-call-shape: whether a server returns a tool call as a structured call or as text.

Every target gets this suite's request, written by its dialect: the weather question, the example
tool, and room for the call. The hosted cells quote recorded answers to other requests; those
requests, with why each is sent, are data beside their cassettes (``quoted-requests.yml``).
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from provider_quirks.dialects import WireDialect
from provider_quirks.quirk import STREAMED, BuildResult, Change, Probe, Quirk, apply_change, chat_with, per_dialect
from provider_quirks.targets import CORE_TARGETS, Target, resolve_target
from provider_quirks.tools import TOOL_CALL_MAX_TOKENS, TOOL_PROMPT, WEATHER_TOOL
from provider_quirks.wire import REMOVE, WireRequest
from provider_quirks.yamlio import load_yaml

_QUOTED = Path(__file__).resolve().parents[1] / "cassettes" / "tool-call-shape" / "quoted-requests.yml"
#: Per probe, per target: the quoted request's body fields to ``set``, after removing those in ``remove``.
QUOTED_REQUESTS: dict[str, dict[str, dict[str, Any]]] = load_yaml(_QUOTED.read_text(encoding="utf-8"))


def _with_fields(fields: Mapping[str, Any], dialect: WireDialect, streamed: bool = False) -> Change:
    """The minimal request with ``fields`` set, then streamed the dialect's way if asked."""

    def build(request: WireRequest) -> Any:
        request = request.with_fields(fields)
        return apply_change(request, STREAMED[dialect.name]) if streamed else request

    return build


def _offered(dialect: WireDialect) -> dict[str, Any]:
    return {
        **dialect.conversation([("user", TOOL_PROMPT)]),
        **dialect.declare_tools([WEATHER_TOOL]),
        **dialect.limit_output(TOOL_CALL_MAX_TOKENS),
    }


def _forced(dialect: WireDialect) -> dict[str, Any]:
    return {**_offered(dialect), **dialect.force_tool(WEATHER_TOOL.name)}


def _quoted_fields(quote: Mapping[str, Any]) -> dict[str, Any]:
    return {**{name: REMOVE for name in quote.get("remove", ())}, **quote["set"]}


def _probe(
    own: Callable[[WireDialect], dict[str, Any]], quoted: str, streamed: bool = False
) -> Callable[[Target], BuildResult]:
    """This suite's request on every dialect, and a quoted recording's own request on the targets it answers."""
    changes = per_dialect(lambda dialect: _with_fields(own(dialect), dialect, streamed))
    for target, quote in QUOTED_REQUESTS[quoted].items():
        changes[target] = _with_fields(_quoted_fields(quote), resolve_target(target).provider.dialect, streamed)
    return chat_with(changes)


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
            build=_probe(_offered, "tool-offered"),
        ),
        Probe(
            id="tool-forced",
            summary="a question the tool answers, with tool_choice forcing the function by name",
            build=_probe(_forced, "tool-forced"),
            shows_workaround=True,
        ),
        Probe(
            id="tool-forced-streamed",
            summary="the forced request, streamed: the call arrives as deltas",
            build=_probe(_forced, "tool-forced", streamed=True),
        ),
    ),
)
