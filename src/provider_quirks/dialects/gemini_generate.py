"""Gemini's generateContent (``POST /v1beta/models/{model}:generateContent``): contents and parts.

Turns are ``contents`` of ``parts`` (the assistant is called ``model``), the output cap sits in
``generationConfig``, and streaming is another method, ``:streamGenerateContent``, which answers
one JSON array sent in pieces unless ``alt=sse`` asks for an event stream.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from provider_quirks.dialects.base import (
    MAX_TOKENS,
    PROMPT,
    Fields,
    Tool,
    Turn,
    WireDialect,
    usage_counts,
)
from provider_quirks.envelopes import google_envelope
from provider_quirks.observation import Reading, ToolCall, Usage, UsageLocation
from provider_quirks.streaming.accumulate import Call, Choices, index_of, mappings, text_or_none
from provider_quirks.wire import WireRequest

if TYPE_CHECKING:
    from provider_quirks.providers.spec import Variant


def conversation(turns: Sequence[Turn]) -> Fields:
    """Gemini calls the assistant ``model``; other roles are written as given."""
    return {
        "contents": [
            {"role": "model" if role == "assistant" else role, "parts": [{"text": text}]} for role, text in turns
        ]
    }


def limit_output(tokens: int) -> Fields:
    return {"generationConfig": {"maxOutputTokens": tokens}}


def minimal_request(variant: Variant) -> WireRequest:
    body = {**conversation([("user", PROMPT)]), **limit_output(MAX_TOKENS)}
    return WireRequest("POST", f"/v1beta/models/{variant.model}:generateContent", body)


def stream_json_array(request: WireRequest) -> WireRequest:
    """The streaming method as its API reference shows it: without ``alt``, one JSON array sent in pieces."""
    return replace(request, path=request.path.replace(":generateContent", ":streamGenerateContent"))


def stream(request: WireRequest) -> WireRequest:
    """``alt=sse`` makes the stream an event stream like the other dialects'."""
    streamed = stream_json_array(request)
    return replace(streamed, query=(*streamed.query, ("alt", "sse")))


def declare_tools(tools: Sequence[Tool]) -> Fields:
    """``function_declarations``; a tool without arguments has no ``parameters`` (an empty object schema is refused)."""
    declarations = []
    for tool in tools:
        described = {"description": tool.description} if tool.description is not None else {}
        parameters = {"parameters": tool.parameters} if tool.parameters is not None else {}
        declarations.append({"name": tool.name, **described, **parameters})
    return {"tools": [{"function_declarations": declarations}]}


def force_tool(name: str) -> Fields:
    return {"toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": [name]}}}


def usage_of(usage: Any) -> Usage | None:
    return usage_counts(usage, "promptTokenCount", "candidatesTokenCount")


def parts_of(candidate: Mapping[str, Any]) -> tuple[str, str, list[ToolCall]]:
    """(text, reasoning, tool calls) of one candidate; ``thought`` parts are reasoning."""
    content = candidate.get("content")
    parts = content.get("parts") if isinstance(content, Mapping) else None
    text: list[str] = []
    reasoning: list[str] = []
    calls: list[ToolCall] = []
    for part in parts if isinstance(parts, list) else []:
        if not isinstance(part, Mapping):
            continue
        if isinstance(part.get("functionCall"), Mapping):
            call = part["functionCall"]
            calls.append(ToolCall(str(call.get("name")), call.get("args")))
        elif isinstance(part.get("text"), str):
            (reasoning if part.get("thought") else text).append(part["text"])
    return "".join(text), "".join(reasoning), calls


def read_body(body: Mapping[str, Any]) -> Reading:
    candidates = body.get("candidates")
    candidates = candidates if isinstance(candidates, list) else []
    first = candidates[0] if candidates and isinstance(candidates[0], Mapping) else {}
    text, reasoning, calls = parts_of(first)
    return Reading(
        text=text,
        reasoning=reasoning,
        tool_calls=tuple(calls),
        finish_reason=first.get("finishReason"),
        usage=usage_of(body.get("usageMetadata")),
        choices=len(candidates),
        model=body.get("modelVersion") if isinstance(body.get("modelVersion"), str) else None,
    )


class CandidateAccumulator(Choices):
    """``GenerateContentResponse`` chunks, over SSE (``alt=sse``) or a streamed JSON array."""

    def __init__(self) -> None:
        super().__init__()
        self._usage: Usage | None = None
        self._chunks = 0
        self._chunks_with_usage = 0
        self._blocked = False

    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        self._chunks += 1
        self.model = self.model or text_or_none(payload.get("modelVersion"))
        usage = usage_of(payload.get("usageMetadata"))
        if usage is not None:
            # Cumulative: each chunk restates the totals so far, so the last one counts.
            self._usage = usage
            self._chunks_with_usage += 1
        feedback = payload.get("promptFeedback")
        if isinstance(feedback, Mapping) and feedback.get("blockReason"):
            self._blocked = True
        for position, candidate in enumerate(mappings(payload.get("candidates"))):
            choice = self.choice(index_of(candidate, position))
            text, reasoning, calls = parts_of(candidate)
            choice.text.append(text)
            choice.reasoning.append(reasoning)
            for call in calls:
                choice.calls[len(choice.calls)] = Call(call.name, initial=call.arguments)
            if candidate.get("finishReason") is not None:
                choice.finish_reason = str(candidate["finishReason"])

    @property
    def ended(self) -> bool:
        # A blocked prompt ends with promptFeedback.blockReason and no candidate at all.
        finished = any(choice.finish_reason for choice in self.choices.values())
        return finished or self._blocked

    def usage(self) -> tuple[Usage | None, UsageLocation]:
        if self._usage is None:
            return None, "absent"
        every = self._chunks > 1 and self._chunks_with_usage == self._chunks
        return self._usage, "every-chunk" if every else "final-chunk"


GEMINI_GENERATE = WireDialect(
    name="gemini-generate",
    docs="https://ai.google.dev/api/generate-content",
    minimal_request=minimal_request,
    stream=stream,
    conversation=conversation,
    declare_tools=declare_tools,
    force_tool=force_tool,
    limit_output=limit_output,
    read_body=read_body,
    stream_accumulator=CandidateAccumulator,
    envelopes=(google_envelope,),
)
