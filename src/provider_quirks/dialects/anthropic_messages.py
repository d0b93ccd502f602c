"""Anthropic's Messages API (``POST /v1/messages``): content blocks, and a stream of named events.

The output cap is required, the system text is a top-level field rather than a turn, and a
streamed answer is a sequence of ``message_*`` and ``content_block_*`` events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from provider_quirks.dialects.base import (
    MAX_TOKENS,
    NO_PARAMETERS,
    PROMPT,
    Fields,
    Tool,
    WireDialect,
    max_tokens,
    messages,
    stream_flag,
    usage_counts,
)
from provider_quirks.envelopes import anthropic_envelope
from provider_quirks.observation import Reading, ToolCall, Usage, UsageLocation
from provider_quirks.streaming.accumulate import Accumulator, Call, Choice, index_of, text_or_none
from provider_quirks.wire import WireRequest

if TYPE_CHECKING:
    from provider_quirks.providers.spec import Variant

#: The ``anthropic-version`` header when a variant names none.
DEFAULT_VERSION = "2023-06-01"


def minimal_request(variant: Variant) -> WireRequest:
    body = {"model": variant.model, **max_tokens(MAX_TOKENS), **messages([("user", PROMPT)])}
    headers = (("anthropic-version", variant.api_version or DEFAULT_VERSION),)
    return WireRequest("POST", "/v1/messages", body, headers=headers)


def declare_tools(tools: Sequence[Tool]) -> Fields:
    declared = []
    for tool in tools:
        described = {"description": tool.description} if tool.description is not None else {}
        schema = tool.parameters if tool.parameters is not None else NO_PARAMETERS
        declared.append({"name": tool.name, **described, "input_schema": schema})
    return {"tools": declared}


def force_tool(name: str) -> Fields:
    return {"tool_choice": {"type": "tool", "name": name}}


def usage_of(usage: Any) -> Usage | None:
    return usage_counts(usage, "input_tokens", "output_tokens")


def read_body(body: Mapping[str, Any]) -> Reading:
    text, reasoning, calls = [], [], []
    for block in body.get("content") or []:
        if not isinstance(block, Mapping):
            continue
        if block.get("type") == "text":
            text.append(str(block.get("text", "")))
        elif block.get("type") == "thinking":
            reasoning.append(str(block.get("thinking", "")))
        elif block.get("type") == "tool_use":
            calls.append(ToolCall(str(block.get("name")), block.get("input")))
    return Reading(
        text="".join(text),
        reasoning="".join(reasoning),
        tool_calls=tuple(calls),
        finish_reason=body.get("stop_reason"),
        usage=usage_of(body.get("usage")),
        choices=1 if body.get("type") == "message" else None,
        model=body.get("model") if isinstance(body.get("model"), str) else None,
    )


class EventAccumulator(Accumulator):
    """Messages events: ``message_start`` … ``content_block_*`` … ``message_delta``, ``_stop``."""

    def __init__(self) -> None:
        super().__init__()
        self._input: int | None = None
        self._output: int | None = None
        self._usage_seen = False
        self._stopped = False
        self._message = False
        self._finish_reason: str | None = None
        self._order: list[tuple[str, int]] = []  # (kind, block index) in stream order
        self._calls: dict[int, Call] = {}
        self._texts: dict[int, list[str]] = {}

    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        kind = payload.get("type") if isinstance(payload.get("type"), str) else name
        index = index_of(payload, -1)
        if kind == "message_start" and isinstance(payload.get("message"), Mapping):
            message = payload["message"]
            self._message = True
            self.model = text_or_none(message.get("model"))
            self._add_usage(message.get("usage"))
        elif kind == "content_block_start" and isinstance(payload.get("content_block"), Mapping):
            self._start_block(index, payload["content_block"])
        elif kind == "content_block_delta" and isinstance(payload.get("delta"), Mapping):
            self._block_delta(index, payload["delta"])
        elif kind == "message_delta":
            delta = payload.get("delta")
            if isinstance(delta, Mapping) and delta.get("stop_reason") is not None:
                self._finish_reason = str(delta["stop_reason"])
            self._add_usage(payload.get("usage"))
        elif kind == "message_stop":
            self._stopped = True
        # ping, content_block_stop and unknown events carry nothing we read (the docs require
        # clients to ignore event types they do not know).

    def _add_usage(self, raw: Any) -> None:
        usage = usage_of(raw)
        if usage is None:
            return
        self._usage_seen = True
        if usage.input_tokens is not None:
            self._input = usage.input_tokens
        if usage.output_tokens is not None:
            self._output = usage.output_tokens

    def _start_block(self, index: int, block: Mapping[str, Any]) -> None:
        kind = block.get("type")
        if kind == "tool_use":
            self._calls[index] = Call(str(block.get("name") or ""), initial=block.get("input", {}))
            self._order.append(("tool_use", index))
        elif kind in ("text", "thinking"):
            self._texts[index] = [str(block.get(kind) or "")]
            self._order.append((kind, index))

    def _block_delta(self, index: int, delta: Mapping[str, Any]) -> None:
        """Apply a delta; a block whose start event was lost is opened by its first delta."""
        kind = delta.get("type")
        if kind == "input_json_delta" and isinstance(delta.get("partial_json"), str):
            if index not in self._calls:
                self._calls[index] = Call(initial={})
                self._order.append(("tool_use", index))
            self._calls[index].fragments.append(delta["partial_json"])
        elif kind in ("text_delta", "thinking_delta"):
            key = "text" if kind == "text_delta" else "thinking"
            if index not in self._texts:
                self._texts[index] = []
                self._order.append((key, index))
            self._texts[index].append(str(delta.get(key) or ""))

    @property
    def ended(self) -> bool:
        return self._stopped

    def usage(self) -> tuple[Usage | None, UsageLocation]:
        if not self._usage_seen:
            return None, "absent"
        return Usage(self._input, self._output), "message-events"

    def reading(self) -> Reading:
        """Blocks in stream order: text blocks to text, thinking to reasoning."""
        message = Choice(finish_reason=self._finish_reason)
        for kind, index in self._order:
            if kind == "tool_use":
                message.calls[len(message.calls)] = self._calls[index]
            else:
                (message.text if kind == "text" else message.reasoning).extend(self._texts[index])
        return message.reading(1 if self._message else None, self.model)


ANTHROPIC_MESSAGES = WireDialect(
    name="anthropic-messages",
    docs="https://docs.anthropic.com/en/api/messages",
    minimal_request=minimal_request,
    stream=stream_flag,
    conversation=messages,
    declare_tools=declare_tools,
    force_tool=force_tool,
    limit_output=max_tokens,
    read_body=read_body,
    stream_accumulator=EventAccumulator,
    envelopes=(anthropic_envelope,),
)
