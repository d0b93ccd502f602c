"""OpenAI's Responses API (``POST /responses``): ``input`` in, typed ``output`` items out.

OpenAI's primary API since 2025, also served by llama.cpp, vLLM and gateways. Its answer is a list
of output items (``message`` with ``output_text`` parts, ``function_call``, ``reasoning``) and a
``status`` (``completed``, ``incomplete``, ``failed``) that plays the part of a finish reason. A
streamed answer is a sequence of named ``response.*`` events, from ``response.created`` to one
terminal event (``response.completed``, ``response.incomplete`` or ``response.failed``) that
carries the whole response, usage included. The event order is part of the contract (the Open
Responses specification, https://www.openresponses.org/specification), so the accumulator also
lists every departure from it (``order_problems``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from provider_quirks.dialects.base import (
    NO_PARAMETERS,
    PROMPT,
    Fields,
    Tool,
    Turn,
    WireDialect,
    int_or_none,
    stream_flag,
    usage_counts,
)
from provider_quirks.envelopes import openai_envelope
from provider_quirks.observation import Reading, ToolCall, Usage, UsageLocation
from provider_quirks.streaming.accumulate import Accumulator, Call, Choice, parse_arguments, text_or_none
from provider_quirks.wire import WireRequest

if TYPE_CHECKING:
    from provider_quirks.providers.spec import Variant

#: OpenAI refuses ``max_output_tokens`` below 16 ("integer_below_min_value"), so the minimal
#: request asks for 16 rather than the other dialects' 8.
MIN_OUTPUT_TOKENS = 16
#: The events that end a response; exactly one of them ends a well-formed stream.
TERMINAL_EVENTS = frozenset({"response.completed", "response.incomplete", "response.failed"})
#: Events whose ``delta`` belongs to an output item (named by ``item_id`` or ``output_index``).
_ITEM_DELTA_SUFFIX = ".delta"


def minimal_request(variant: Variant) -> WireRequest:
    """One user message in ``input`` (the list form, so that a conversation replaces it field for field)."""
    body = {"model": variant.model, **conversation([("user", PROMPT)]), **limit_output(MIN_OUTPUT_TOKENS)}
    return WireRequest("POST", "/responses", body)


def conversation(turns: Sequence[Turn]) -> Fields:
    """Turns as ``input`` messages (a system turn stays a message; ``instructions`` is the other way).

    An assistant turn says ``"type": "message"``: OpenAI accepts it with or without, and llama.cpp's
    server refuses it without (400 "Cannot determine type of 'item'"; quirk responses-state), which
    would otherwise hide what a quirk probes behind that refusal.
    """
    return {"input": [_item(role, text) for role, text in turns]}


def _item(role: str, text: str) -> dict[str, str]:
    typed = {"type": "message"} if role == "assistant" else {}
    return {**typed, "role": role, "content": text}


def declare_tools(tools: Sequence[Tool]) -> Fields:
    """Function tools are flat here: no ``function`` wrapper as in chat completions."""
    declared = []
    for tool in tools:
        described = {"description": tool.description} if tool.description is not None else {}
        schema = tool.parameters if tool.parameters is not None else NO_PARAMETERS
        declared.append({"type": "function", "name": tool.name, **described, "parameters": schema})
    return {"tools": declared}


def force_tool(name: str) -> Fields:
    return {"tool_choice": {"type": "function", "name": name}}


def limit_output(tokens: int) -> Fields:
    return {"max_output_tokens": tokens}


def usage_of(usage: Any) -> Usage | None:
    return usage_counts(usage, "input_tokens", "output_tokens")


def _item_texts(item: Mapping[str, Any], part_type: str) -> list[str]:
    """The texts of an item's parts of one type (``output_text`` of a message, ``summary_text`` of reasoning)."""
    parts = [*(item.get("content") or []), *(item.get("summary") or [])]
    return [str(p.get("text")) for p in parts if isinstance(p, Mapping) and p.get("type") == part_type]


def read_body(body: Mapping[str, Any]) -> Reading:
    """A ``response`` object: message text, reasoning summaries and function calls, in output order."""
    text: list[str] = []
    reasoning: list[str] = []
    calls: list[ToolCall] = []
    for item in body.get("output") or []:
        if not isinstance(item, Mapping):
            continue
        if item.get("type") == "message":
            text.extend(_item_texts(item, "output_text"))
        elif item.get("type") == "reasoning":
            reasoning.extend(_item_texts(item, "summary_text") + _item_texts(item, "reasoning_text"))
        elif item.get("type") == "function_call":
            calls.append(ToolCall(str(item.get("name")), parse_arguments(item.get("arguments"))))
    return Reading(
        text="".join(text),
        reasoning="".join(reasoning),
        tool_calls=tuple(calls),
        finish_reason=text_or_none(body.get("status")),
        usage=usage_of(body.get("usage")),
        choices=1 if body.get("object") == "response" else None,
        model=text_or_none(body.get("model")),
    )


class ResponseEventAccumulator(Accumulator):
    """``response.*`` events: deltas per output item, and the terminal event's status and usage."""

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[str, tuple[str, Call | list[str]]] = {}  # item key -> (kind, call or texts)
        self._order: list[str] = []
        self._open: set[str] = set()
        self._closed: set[str] = set()
        self._status: str | None = None
        self._usage: Usage | None = None
        self._names: list[str] = []
        self._last_sequence: int | None = None
        self._problems: list[str] = []

    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        kind = str(payload.get("type") or name or "")
        self._check_sequence(kind, payload.get("sequence_number"))
        if not self._names and kind != "response.created":
            self._problems.append(f"the first event is {kind or 'unnamed'}, not response.created")
        if self._names and self._names[-1] in TERMINAL_EVENTS:
            self._problems.append(f"{kind} after the terminal {self._names[-1]}")
        self._names.append(kind)
        response = payload.get("response")
        if isinstance(response, Mapping):
            self.model = text_or_none(response.get("model")) or self.model
        if kind in TERMINAL_EVENTS and isinstance(response, Mapping):
            self._status = text_or_none(response.get("status")) or kind.removeprefix("response.")
            self._usage = usage_of(response.get("usage"))
        elif kind == "response.output_item.added":
            self._item_added(payload)
        elif kind == "response.output_item.done":
            self._item_done(payload)
        elif kind.endswith(_ITEM_DELTA_SUFFIX):
            self._delta(kind, payload)

    def _check_sequence(self, kind: str, number: Any) -> None:
        number = int_or_none(number)
        if number is None:
            return
        if self._last_sequence is not None and number <= self._last_sequence:
            self._problems.append(f"sequence_number {number} of {kind} does not follow {self._last_sequence}")
        self._last_sequence = number

    @staticmethod
    def _key(payload: Mapping[str, Any]) -> str:
        """An item by its id; by output position when the server sends no id."""
        item = payload.get("item")
        ident = payload.get("item_id") or (item.get("id") if isinstance(item, Mapping) else None)
        return str(ident) if ident else f"#{payload.get('output_index')}"

    def _item_added(self, payload: Mapping[str, Any]) -> None:
        key, item = self._key(payload), payload.get("item")
        item = item if isinstance(item, Mapping) else {}
        if item.get("type") == "function_call":
            self._items[key] = ("call", Call(str(item.get("name") or ""), ident=item.get("call_id")))
        else:
            self._items[key] = (str(item.get("type") or "message"), [])
        self._order.append(key)
        self._open.add(key)

    def _item_done(self, payload: Mapping[str, Any]) -> None:
        key, item = self._key(payload), payload.get("item")
        if key not in self._open:
            self._problems.append(f"response.output_item.done for {key} without its output_item.added")
        self._open.discard(key)
        self._closed.add(key)
        kept = self._items.get(key)
        if kept is not None and isinstance(kept[1], Call) and isinstance(item, Mapping):
            call = kept[1]
            if not call.fragments and isinstance(item.get("arguments"), str):
                call.fragments.append(item["arguments"])  # a server that sends no argument deltas
            call.name = call.name or str(item.get("name") or "")

    def _delta(self, kind: str, payload: Mapping[str, Any]) -> None:
        key = self._key(payload)
        if key not in self._open:
            where = "after its output_item.done" if key in self._closed else "before its output_item.added"
            self._problems.append(f"{kind} for {key} {where}")
        delta = payload.get("delta")
        if not isinstance(delta, str):
            return
        kept = self._items.get(key)
        if kept is None:  # its item was never announced: keep the text rather than lose it
            kept = self._items[key] = ("message", [])
            self._order.append(key)
        if isinstance(kept[1], Call):
            kept[1].fragments.append(delta)
        elif kind == "response.output_text.delta" or kind.startswith("response.reasoning"):
            kept[1].append(delta)

    @property
    def ended(self) -> bool:
        return self._status is not None

    def usage(self) -> tuple[Usage | None, UsageLocation]:
        return (self._usage, "completed-event") if self._usage is not None else (None, "absent")

    def order_problems(self) -> tuple[str, ...]:
        terminals = sum(1 for name in self._names if name in TERMINAL_EVENTS)
        found = list(self._problems)
        if terminals != 1:
            found.append(f"{terminals} terminal events (response.completed, .incomplete or .failed), not 1")
        found += [f"output item {key} was never done" for key in self._order if key in self._open]
        return tuple(found)

    def reading(self) -> Reading:
        answer = Choice(finish_reason=self._status)
        for key in self._order:
            kind, content = self._items[key]
            if isinstance(content, Call):
                answer.calls[len(answer.calls)] = content
            else:
                (answer.reasoning if kind == "reasoning" else answer.text).extend(content)
        return answer.reading(1 if self._names else None, self.model)


OPENAI_RESPONSES = WireDialect(
    name="openai-responses",
    docs="https://platform.openai.com/docs/api-reference/responses/create",
    minimal_request=minimal_request,
    stream=stream_flag,
    conversation=conversation,
    declare_tools=declare_tools,
    force_tool=force_tool,
    limit_output=limit_output,
    read_body=read_body,
    stream_accumulator=ResponseEventAccumulator,
    envelopes=(openai_envelope,),
    min_output_tokens=MIN_OUTPUT_TOKENS,
)
