"""finish-reasons: each API's word for why generation stopped, observed for four causes.

Each probe provokes one cause with the smallest change to the minimal request, written by each
dialect: no cap pressure, a cap the answer cannot fit, a forced tool, a stop sequence. The finish
reason here is the quirk, not an incidental value, so ``finish_reason`` is in ``pinned`` and the
expectations state it exactly; the report's mapping table (``report/finish_reasons.py``) lists it
per target and probe. The Responses API has no finish reason; the suite reads its ``status``.
"""

from collections.abc import Callable
from typing import Any

from provider_quirks.dialects import WireDialect
from provider_quirks.quirk import Change, Probe, Quirk, chat_with, per_dialect
from provider_quirks.targets import resolve_provider
from provider_quirks.tools import TOOL_PROMPT, WEATHER_TOOL
from provider_quirks.wire import NotApplicable

#: Room for any short answer, a thinking model's thoughts included (Gemini 2.5 counts them in the cap).
_GENEROUS_CAP = 1024
#: A cap no answer fits; the Responses API refuses caps below 16, so it gets its floor and a long task.
_TIGHT_CAP = 1
_LONG_TASK = "Count from 1 to 50, separated by commas."
#: Targets that accept the tight cap although their dialect's reference API does not: both local
#: Responses servers answer a cap of 1 (recorded in cassettes/output-limit-minimum/).
_NO_FLOOR = ("responses_compatible",)
#: The stop sequence and a prompt whose answer contains it early.
_STOP = "world"
_STOP_PROMPT = "Say hello world"


def _capped(dialect: WireDialect, floor: int | None = None) -> Change:
    """A task longer than its cap: the tight cap, raised to ``floor`` (default: the dialect's reference API's)."""
    cap = max(_TIGHT_CAP, dialect.min_output_tokens if floor is None else floor)
    return {**dialect.conversation([("user", _LONG_TASK)]), **dialect.limit_output(cap)}


def _cap_changes() -> dict[str, Change]:
    changes = per_dialect(_capped)
    for provider in _NO_FLOOR:
        changes[provider] = _capped(resolve_provider(provider).dialect, floor=_TIGHT_CAP)
    return changes


def _forced_tool(dialect: WireDialect) -> Change:
    return {
        **dialect.conversation([("user", TOOL_PROMPT)]),
        **dialect.declare_tools([WEATHER_TOOL]),
        **dialect.force_tool(WEATHER_TOOL.name),
        **dialect.limit_output(_GENEROUS_CAP),
    }


#: Each API's stop-sequence field, added to its cap fields (Gemini's sit together in ``generationConfig``).
_STOP_FIELDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "openai-chat": lambda limit: {**limit, "stop": [_STOP]},
    "anthropic-messages": lambda limit: {**limit, "stop_sequences": [_STOP]},
    "gemini-generate": lambda limit: {"generationConfig": {**limit["generationConfig"], "stopSequences": [_STOP]}},
}


def _stopped(dialect: WireDialect) -> Change:
    with_stop = _STOP_FIELDS.get(dialect.name)
    if with_stop is None:
        return NotApplicable("the Responses API takes no stop sequences: it refuses stop as an unknown parameter")
    return {**dialect.conversation([("user", _STOP_PROMPT)]), **with_stop(dialect.limit_output(_GENEROUS_CAP))}


QUIRK = Quirk(
    id="finish-reasons",
    title="Why generation stopped: each API's words",
    category="responses",
    claim="finish_reason is 'stop', 'length' or 'tool_calls' everywhere, as in OpenAI's chat completions.",
    summary=(
        "Every API says why an answer ended, each in its own words. OpenAI-style chat completions: 'stop' "
        "(also for a stop sequence), 'length', 'tool_calls', 'content_filter'. Anthropic's stop_reason: "
        "'end_turn', 'max_tokens', 'tool_use', 'stop_sequence', 'pause_turn', 'refusal'. Gemini's "
        "finishReason: 'STOP' (also for a function call and a stop sequence), 'MAX_TOKENS', 'SAFETY', "
        "'MALFORMED_FUNCTION_CALL' and more. The Responses API has no finish reason: its status is "
        "'completed', or 'incomplete' with incomplete_details.reason, and it takes no stop sequences. "
        "Azure OpenAI answers a forced tool call with 'stop', not 'tool_calls'. The compatible servers "
        "translate, not always faithfully: llama-server's Anthropic endpoint ends at a stop sequence with "
        "'end_turn' (naming the sequence in stop_sequence), its Responses endpoint calls an answer cut at "
        "1 token 'completed', and LiteLLM's Anthropic and Responses bridges do not honour a cap of 1, so "
        "the answer ends by itself ('end_turn', 'completed'); through LiteLLM's Anthropic bridge the stop "
        "sequence is not applied either. The table in the report lists what each target answered."
    ),
    why_it_matters=(
        "Code that retries on 'length', continues on 'max_tokens' or dispatches tools on 'tool_calls' "
        "silently does the wrong thing on an API that uses another word for the same cause, or the same "
        "word for another."
    ),
    workaround=(
        "Map each API's reason to your own small set per dialect, and decide on tool calls by their presence "
        "in the answer, not by the reason."
    ),
    sources=(
        "https://platform.openai.com/docs/api-reference/chat/object",
        "https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons",
        "https://docs.cloud.google.com/python/docs/reference/vertexai/latest/vertexai.preview.generative_models.FinishReason",
        "https://github.com/pydantic/pydantic-ai/pull/3095",
        "https://platform.openai.com/docs/api-reference/responses/object",
        "https://community.openai.com/t/does-responses-api-support-stop-parameter-or-not/1379909",
    ),
    # The quirk is the word itself: the expectations pin it, per target and probe.
    pinned=("finish_reason",),
    probes=(
        Probe(
            id="natural-stop",
            summary=f"the minimal request under a generous cap ({_GENEROUS_CAP} tokens): the answer ends by itself",
            build=chat_with(per_dialect(lambda dialect: dialect.limit_output(_GENEROUS_CAP))),
        ),
        Probe(
            id="cap-reached",
            summary=(f"a task longer than its cap: {_TIGHT_CAP} token, or OpenAI's Responses API's floor (16)"),
            build=chat_with(_cap_changes()),
        ),
        Probe(
            id="tool-call",
            summary="the weather question with the tool declared and forced by name, under a generous cap",
            build=chat_with(per_dialect(_forced_tool)),
            shows_workaround=True,
        ),
        Probe(
            id="stop-sequence",
            summary=f"'{_STOP_PROMPT}' with the stop sequence '{_STOP}', under a generous cap",
            build=chat_with(per_dialect(_stopped)),
        ),
    ),
)
