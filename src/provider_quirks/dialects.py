"""Readers for successful, non-streamed answers, one per wire dialect.

Six providers speak three dialects: OpenAI's chat completions (OpenAI, Azure, Mistral and the
OpenAI-compatible servers), Anthropic's messages and Gemini's generateContent. A reader keeps
only what quirks compare; unknown fields are ignored (strict about what we send, loose about
what we receive).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

from provider_quirks.observation import Reading, ToolCall, Usage

Dialect = Literal["openai-chat", "anthropic-messages", "gemini-generate"]
DIALECTS: tuple[Dialect, ...] = ("openai-chat", "anthropic-messages", "gemini-generate")


def parse_arguments(raw: Any) -> Any:
    """Tool arguments arrive as JSON text (OpenAI) or as objects (Anthropic, Gemini)."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def openai_usage(usage: Any) -> Usage | None:
    if not isinstance(usage, Mapping):
        return None
    return Usage(_int_or_none(usage.get("prompt_tokens")), _int_or_none(usage.get("completion_tokens")))


def anthropic_usage(usage: Any) -> Usage | None:
    if not isinstance(usage, Mapping):
        return None
    return Usage(_int_or_none(usage.get("input_tokens")), _int_or_none(usage.get("output_tokens")))


def gemini_usage(usage: Any) -> Usage | None:
    if not isinstance(usage, Mapping):
        return None
    return Usage(_int_or_none(usage.get("promptTokenCount")), _int_or_none(usage.get("candidatesTokenCount")))


def openai_content_text(content: Any) -> tuple[str, str]:
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


def read_openai_chat(body: Mapping[str, Any]) -> Reading:
    choices = body.get("choices")
    choices = choices if isinstance(choices, list) else []
    first: Mapping[str, Any] = choices[0] if choices and isinstance(choices[0], Mapping) else {}
    message: Mapping[str, Any] = first["message"] if isinstance(first.get("message"), Mapping) else {}
    text, reasoning = openai_content_text(message.get("content"))
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
        usage=openai_usage(body.get("usage")),
        choices=len(choices),
        model=body.get("model") if isinstance(body.get("model"), str) else None,
    )


def read_anthropic_message(body: Mapping[str, Any]) -> Reading:
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
        usage=anthropic_usage(body.get("usage")),
        choices=1 if body.get("type") == "message" else None,
        model=body.get("model") if isinstance(body.get("model"), str) else None,
    )


def gemini_parts(candidate: Mapping[str, Any]) -> tuple[str, str, list[ToolCall]]:
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


def read_gemini_generate(body: Mapping[str, Any]) -> Reading:
    candidates = body.get("candidates")
    candidates = candidates if isinstance(candidates, list) else []
    first = candidates[0] if candidates and isinstance(candidates[0], Mapping) else {}
    text, reasoning, calls = gemini_parts(first)
    return Reading(
        text=text,
        reasoning=reasoning,
        tool_calls=tuple(calls),
        finish_reason=first.get("finishReason"),
        usage=gemini_usage(body.get("usageMetadata")),
        choices=len(candidates),
        model=body.get("modelVersion") if isinstance(body.get("modelVersion"), str) else None,
    )


#: Where a model list keeps its entries, and each entry's id: ``data[].id`` (OpenAI, Mistral,
#: Anthropic, Azure, OpenAI-compatible servers) or ``models[].name`` (Gemini).
_MODEL_LISTS = (("data", "id"), ("models", "name"))


def read_model_list(body: Mapping[str, Any]) -> Reading | None:
    """A ``GET .../models`` answer: the listed ids, in order; None when the body is not a model list.

    Model lists share a shape across dialects far more than chat answers do, so one reader serves all.
    """
    for key, id_key in _MODEL_LISTS:
        entries = body.get(key)
        if isinstance(entries, list) and all(isinstance(e, Mapping) and id_key in e for e in entries):
            return Reading(models=tuple(str(entry[id_key]) for entry in entries))
    return None


BODY_READERS: dict[Dialect, Callable[[Mapping[str, Any]], Reading]] = {
    "openai-chat": read_openai_chat,
    "anthropic-messages": read_anthropic_message,
    "gemini-generate": read_gemini_generate,
}
