"""OpenAI's chat completions (``POST /chat/completions``): OpenAI, Azure, Mistral, vLLM, llama.cpp.

The most copied wire format: hosted APIs and local servers take the same ``messages`` and
answer with ``choices[].message``, and differ in details the quirks probe.
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
from provider_quirks.envelopes import openai_envelope
from provider_quirks.observation import Reading, ToolCall, Usage, UsageLocation
from provider_quirks.streaming.accumulate import (
    Call,
    Choice,
    Choices,
    index_of,
    mappings,
    parse_arguments,
    text_or_none,
)
from provider_quirks.wire import WireRequest

if TYPE_CHECKING:
    from provider_quirks.providers.spec import Variant


def minimal_request(variant: Variant) -> WireRequest:
    """Reasoning models take ``max_completion_tokens``; ``max_tokens`` is refused there."""
    limit = "max_completion_tokens" if variant.reasoning else "max_tokens"
    body = {"model": variant.model, **messages([("user", PROMPT)]), limit: MAX_TOKENS}
    return WireRequest("POST", "/chat/completions", body)


def _function(tool: Tool) -> dict[str, Any]:
    described = {"description": tool.description} if tool.description is not None else {}
    parameters = tool.parameters if tool.parameters is not None else NO_PARAMETERS
    return {"name": tool.name, **described, "parameters": parameters}


def declare_tools(tools: Sequence[Tool]) -> Fields:
    return {"tools": [{"type": "function", "function": _function(tool)} for tool in tools]}


def force_tool(name: str) -> Fields:
    return {"tool_choice": {"type": "function", "function": {"name": name}}}


def usage_of(usage: Any) -> Usage | None:
    return usage_counts(usage, "prompt_tokens", "completion_tokens")


def content_text(content: Any) -> tuple[str, str]:
    """(text, reasoning) of a message content: a string, or typed parts (Mistral's thinking)."""
    if isinstance(content, str):
        return content, ""
    text, reasoning = [], []
    for part in content if isinstance(content, list) else []:
        if not isinstance(part, Mapping):
            continue
        if part.get("type") == "text" and isinstance(part.get("text"), str):
            text.append(part["text"])
        elif part.get("type") == "thinking":
            thinking = part.get("thinking")
            if isinstance(thinking, str):
                reasoning.append(thinking)
            for inner in thinking if isinstance(thinking, list) else []:
                if isinstance(inner, Mapping) and isinstance(inner.get("text"), str):
                    reasoning.append(inner["text"])
    return "".join(text), "".join(reasoning)


def read_body(body: Mapping[str, Any]) -> Reading:
    choices = body.get("choices")
    choices = choices if isinstance(choices, list) else []
    first: Mapping[str, Any] = choices[0] if choices and isinstance(choices[0], Mapping) else {}
    message: Mapping[str, Any] = first["message"] if isinstance(first.get("message"), Mapping) else {}
    text, reasoning = content_text(message.get("content"))
    if isinstance(message.get("reasoning_content"), str):
        reasoning += message["reasoning_content"]
    calls = tuple(
        ToolCall(str(call["function"].get("name")), parse_arguments(call["function"].get("arguments")))
        for call in message.get("tool_calls") or []
        if isinstance(call, Mapping) and isinstance(call.get("function"), Mapping)
    )
    return Reading(
        text=text,
        reasoning=reasoning,
        tool_calls=calls,
        finish_reason=first.get("finish_reason"),
        usage=usage_of(body.get("usage")),
        choices=len(choices),
        model=body.get("model") if isinstance(body.get("model"), str) else None,
    )


def _call_key(choice: Choice, item: Mapping[str, Any]) -> int:
    """Where a tool-call delta without ``index`` goes: a new ``id`` starts a call."""
    if not choice.calls:
        return 0
    last = max(choice.calls)
    ident = item.get("id")
    return last + 1 if ident and ident != choice.calls[last].ident else last


class ChunkAccumulator(Choices):
    """``chat.completion.chunk`` deltas; usage arrives in a final chunk, the finish chunk, or every chunk."""

    def __init__(self) -> None:
        super().__init__()
        self._usage: Usage | None = None
        self._usage_with_finish = False
        self._choice_chunks = 0
        self._choice_chunks_with_usage = 0

    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        self.model = self.model or text_or_none(payload.get("model"))
        choices = mappings(payload.get("choices"))
        finished = False
        for position, item in enumerate(choices):
            choice = self.choice(index_of(item, position))
            delta = item.get("delta")
            if isinstance(delta, Mapping):
                self._delta(choice, delta)
            if item.get("finish_reason") is not None:
                choice.finish_reason = str(item["finish_reason"])
                finished = True
        usage = usage_of(payload.get("usage"))
        if choices:
            self._choice_chunks += 1
            self._choice_chunks_with_usage += usage is not None
        if usage is not None:
            self._usage, self._usage_with_finish = usage, finished

    @staticmethod
    def _delta(choice: Choice, delta: Mapping[str, Any]) -> None:
        text, reasoning = content_text(delta.get("content"))
        choice.text.append(text)
        choice.reasoning.append(reasoning)
        for key in ("reasoning_content", "reasoning"):
            if isinstance(delta.get(key), str):
                choice.reasoning.append(delta[key])
        for item in mappings(delta.get("tool_calls")):
            call = choice.calls.setdefault(index_of(item, _call_key(choice, item)), Call())
            call.ident = call.ident or item.get("id")
            function = item.get("function")
            if isinstance(function, Mapping):
                call.name = call.name or str(function.get("name") or "")
                if isinstance(function.get("arguments"), str):
                    call.fragments.append(function["arguments"])

    @property
    def ended(self) -> bool:
        return bool(self.choices) and all(c.finish_reason for c in self.choices.values())

    def usage(self) -> tuple[Usage | None, UsageLocation]:
        if self._usage is None:
            return None, "absent"
        if self._choice_chunks > 1 and self._choice_chunks_with_usage == self._choice_chunks:
            return self._usage, "every-chunk"
        return self._usage, "finish-chunk" if self._usage_with_finish else "final-chunk"


OPENAI_CHAT = WireDialect(
    name="openai-chat",
    docs="https://platform.openai.com/docs/api-reference/chat/create",
    minimal_request=minimal_request,
    stream=stream_flag,
    conversation=messages,
    declare_tools=declare_tools,
    force_tool=force_tool,
    limit_output=max_tokens,
    read_body=read_body,
    stream_accumulator=ChunkAccumulator,
    envelopes=(openai_envelope,),
)
