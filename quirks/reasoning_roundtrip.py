"""reasoning-roundtrip: sending a model's reasoning back in the next turn: required, ignored or refused."""

from collections.abc import Sequence
from typing import Any

from provider_quirks.dialects import ANTHROPIC_MESSAGES, OPENAI_CHAT
from provider_quirks.dialects.base import Turn
from provider_quirks.quirk import BuildResult, Change, Probe, Quirk, chat_with
from provider_quirks.tools import TOOL_PROMPT, WEATHER_TOOL
from provider_quirks.wire import NotApplicable, WireRequest

#: What the replayed assistant turn "thought": any text will do, the field is the quirk.
_REASONING = "The user greets me; answer briefly."
#: OpenAI-style turns put the replayed assistant turn at messages[2], as the quoted Groq and Cerebras bodies name it.
_OPENAI_TURNS: Sequence[Turn] = (("system", "Be brief."), ("user", "Say hi"), ("assistant", "Hi"), ("user", "Say hi"))
#: The Messages API keeps the system text out of the turns: the assistant turn is messages[1], as quoted.
_ANTHROPIC_TURNS: Sequence[Turn] = (("user", "Say hi"), ("assistant", "Hi"), ("user", "Say hi"))
#: A thinking request on the Messages API needs a budget of at least 1024 tokens and a larger max_tokens.
_ANTHROPIC_THINKING: dict[str, Any] = {"max_tokens": 1025, "thinking": {"type": "enabled", "budget_tokens": 1024}}
_GEMINI = "Gemini's thought_signature rides on functionCall parts of Gemini 3 models; this target is gemini-2.5-flash"


def _assistant_turn(request: WireRequest, change: dict[str, Any]) -> WireRequest:
    """The request with ``change`` merged into its (single) assistant message.

    A local helper: the dialects write turns as text only, and a turn carrying its reasoning is
    this quirk's alone (DeepSeek's ``reasoning_content``, Groq's ``reasoning``, Anthropic's thinking block).
    """
    messages = [dict(m, **change) if m.get("role") == "assistant" else m for m in request.body["messages"]]
    return request.with_fields({"messages": messages})


def _openai_reasoning(field: str | None) -> Change:
    """The OpenAI-style conversation, its assistant turn carrying ``field`` (None: without reasoning)."""

    def build(request: WireRequest) -> BuildResult:
        request = request.with_fields(OPENAI_CHAT.conversation(_OPENAI_TURNS))
        return request if field is None else _assistant_turn(request, {field: _REASONING})

    return build


def _anthropic_thinking(signature: str | None) -> Change:
    """The Messages API conversation, thinking on and a thinking block before the replayed text.

    ``None`` is the workaround: the same turns, no thinking block and no thinking (nor its 1024-token budget).
    """

    def build(request: WireRequest) -> BuildResult:
        request = request.with_fields(ANTHROPIC_MESSAGES.conversation(_ANTHROPIC_TURNS))
        if signature is None:
            return request
        request = request.with_fields(_ANTHROPIC_THINKING)
        thinking = {"type": "thinking", "thinking": _REASONING, "signature": signature}
        return _assistant_turn(request, {"content": [thinking, {"type": "text", "text": "Hi"}]})

    return build


def _deepseek_tool_turn_without_reasoning(request: WireRequest) -> BuildResult:
    """Thinking on, a tool call answered, and the assistant turn that made it sent back without reasoning_content."""
    call = {
        "id": "call_0",
        "type": "function",
        "function": {"name": WEATHER_TOOL.name, "arguments": '{"city":"Paris"}'},
    }
    messages = [
        {"role": "user", "content": TOOL_PROMPT},
        {"role": "assistant", "content": "", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_0", "content": "Sunny, 21 C"},
    ]
    tools = OPENAI_CHAT.declare_tools([WEATHER_TOOL])
    return request.with_fields({"thinking": {"type": "enabled"}, "messages": messages, **tools})


QUIRK = Quirk(
    id="reasoning-roundtrip",
    title="Sending a model's reasoning back in the next turn",
    category="conversation state",
    claim=(
        "The 2024 habit of OpenAI-compatible clients: an assistant turn is replayed as role and content; "
        "whatever else the answer carried (reasoning, thinking) is dropped, or echoed back as it came."
    ),
    summary=(
        "Each reasoning API has its own rule for the reasoning a model returned, and they contradict each "
        "other. DeepSeek's thinking mode requires reasoning_content back on the turns after a tool call "
        "('The reasoning_content in the thinking mode must be passed back to the API.', 400, since 2026; the "
        "R1-era deepseek-reasoner refused it instead). Groq and Cerebras refuse the same field with a 400 "
        "('property 'reasoning' is unsupported'; 'messages.2.assistant.reasoning_content ... is unsupported'). "
        "Anthropic takes thinking blocks back only as returned: since October 2025 a changed or invented "
        "signature is a 400 ('Invalid `signature` in `thinking` block'). Gemini 3 requires the "
        "thought_signature of each function call back ('Function call is missing a thought_signature')."
    ),
    why_it_matters=(
        "A conversation that an agent loop replays turn by turn breaks on the second request, and the fix for "
        "one provider (send the reasoning back) is the failure on the next (a 400 for an unknown field)."
    ),
    workaround=(
        "Keep each provider's reasoning in its own field and replay it unchanged only to that provider: "
        "reasoning_content to DeepSeek after tool calls, thinking blocks with their signatures to Anthropic, "
        "thought signatures to Gemini; strip it for every other API."
    ),
    sources=(
        "https://api-docs.deepseek.com/zh-cn/guides/thinking_mode/",
        "https://github.com/JohnnyZ93/oai-compatible-copilot/issues/202",
        "https://github.com/crewAIInc/crewAI/issues/5878",
        "https://github.com/karthink/gptel/issues/774",
        "https://github.com/Kilo-Org/kilocode/issues/10375",
        "https://github.com/langchain-ai/langchain/pull/33391",
        "https://github.com/anthropics/claude-code/issues/71111",
        "https://github.com/langgenius/dify-official-plugins/issues/2088",
    ),
    probes=(
        Probe(
            id="reasoning-sent-back",
            summary=(
                "the replayed assistant turn carries reasoning: reasoning_content (Groq: reasoning), or on the "
                "Messages API a thinking block with a signature it never issued"
            ),
            build=chat_with(
                {
                    "groq": _openai_reasoning("reasoning"),
                    "openai-chat": _openai_reasoning("reasoning_content"),
                    "anthropic-messages": _anthropic_thinking("c2lnbmF0dXJlIG5vdCBpc3N1ZWQ="),
                    "gemini-generate": NotApplicable(_GEMINI),
                }
            ),
        ),
        Probe(
            id="reasoning-dropped",
            summary="DeepSeek, thinking on: a tool call's assistant turn sent back without its reasoning_content",
            build=chat_with({"deepseek": _deepseek_tool_turn_without_reasoning}, otherwise="DeepSeek's rule only"),
        ),
        Probe(
            id="reasoning-stripped",
            summary="the same conversation with the reasoning stripped from the replayed turn",
            build=chat_with(
                {
                    "openai-chat": _openai_reasoning(None),
                    "anthropic-messages": _anthropic_thinking(None),
                    "gemini-generate": NotApplicable(_GEMINI),
                }
            ),
            shows_workaround=True,
        ),
    ),
)
