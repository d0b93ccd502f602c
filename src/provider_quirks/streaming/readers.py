"""Per-dialect readers for streamed answers.

A streamed answer is reduced to the same :class:`~provider_quirks.observation.Reading` as a plain
one (text, reasoning, tool calls, finish reason, usage), plus :class:`StreamFacts` on how it was
framed: where usage arrived, whether ``[DONE]`` closed it, the line endings, event names, comment
lines and whether the body was cut. Readers never raise on what the provider sent:

- a ``data:`` payload that is not JSON is skipped and counted in :attr:`StreamReader.malformed`
  (``StreamFacts`` has no field for it; it is a decoder fact, not a provider quirk);
- an error reported in the stream (Anthropic's ``error`` event, an ``{"error": {...}}`` chunk)
  becomes ``Reading.error`` and ends the stream normally: such a stream is not "truncated";
- a body cut anywhere still yields what was read, with ``stream.truncated`` set.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from provider_quirks.dialects import (
    Dialect,
    anthropic_usage,
    gemini_parts,
    gemini_usage,
    openai_content_text,
    openai_usage,
    parse_arguments,
)
from provider_quirks.envelopes import (
    anthropic_envelope,
    google_envelope,
    object_error_envelope,
    openai_envelope,
)
from provider_quirks.observation import (
    ErrorInfo,
    Reading,
    StreamFacts,
    ToolCall,
    Usage,
    UsageLocation,
)
from provider_quirks.streaming.framing import (
    ElementDecoder,
    Framing,
    JSONArrayDecoder,
    JSONDocumentDecoder,
    NDJSONDecoder,
    pick_framing,
)
from provider_quirks.streaming.sse import SSEDecoder

_DONE = "[DONE]"


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


#: Error shapes met inside streams (``object_error`` is Mistral's and older vLLM's); each reader
#: answers None for the others' shapes.
_ENVELOPES = (anthropic_envelope, google_envelope, openai_envelope, object_error_envelope)


def _stream_error(payload: Mapping[str, Any]) -> ErrorInfo | None:
    for envelope in _ENVELOPES:
        error = envelope(payload)
        if error is not None:
            return error
    return None


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _index(item: Mapping[str, Any], fallback: int) -> int:
    index = item.get("index")
    return index if isinstance(index, int) and not isinstance(index, bool) else fallback


@dataclass
class _Call:
    """A tool call being assembled from fragments."""

    name: str = ""
    fragments: list[str] = field(default_factory=list)
    initial: Any = None
    ident: Any = None

    def tool_call(self) -> ToolCall:
        raw = "".join(self.fragments)
        return ToolCall(self.name, parse_arguments(raw) if raw else self.initial)


@dataclass
class _Choice:
    """One choice (OpenAI) or candidate (Gemini) being assembled."""

    text: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    calls: dict[int, _Call] = field(default_factory=dict)
    finish_reason: str | None = None

    def reading(self, choices: int | None, model: str | None) -> Reading:
        return Reading(
            text="".join(self.text),
            reasoning="".join(self.reasoning),
            tool_calls=tuple(self.calls[key].tool_call() for key in sorted(self.calls)),
            finish_reason=self.finish_reason,
            choices=choices,
            model=model,
        )


class _Accumulator(ABC):
    """What one dialect makes of its chunks; the framing is the reader's business."""

    def __init__(self) -> None:
        self.model: str | None = None

    @abstractmethod
    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        """Take one decoded chunk; ``name`` is its SSE event name, if any."""

    @property
    @abstractmethod
    def ended(self) -> bool:
        """Whether the dialect's normal end was seen."""

    @abstractmethod
    def usage(self) -> tuple[Usage | None, UsageLocation]:
        """The usage that counts, and where the stream carried it."""

    @abstractmethod
    def reading(self) -> Reading:
        """Text, reasoning, tool calls, finish reason, choices and model (not usage)."""


class _Choices(_Accumulator, ABC):
    """Dialects with several choices or candidates, each keyed by its ``index``."""

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[int, _Choice] = {}

    def reading(self) -> Reading:
        """The first choice (lowest index), as the plain-body readers do."""
        first = self.choices[min(self.choices)] if self.choices else _Choice()
        return first.reading(len(self.choices) or None, self.model)

    def _choice(self, index: int) -> _Choice:
        return self.choices.setdefault(index, _Choice())


def _call_key(choice: _Choice, item: Mapping[str, Any]) -> int:
    """Where a tool-call delta without ``index`` goes: a new ``id`` starts a call."""
    if not choice.calls:
        return 0
    last = max(choice.calls)
    ident = item.get("id")
    return last + 1 if ident and ident != choice.calls[last].ident else last


class _OpenAIChat(_Choices):
    """``chat.completion.chunk`` deltas: OpenAI, Azure, Mistral, vLLM, llama.cpp."""

    def __init__(self) -> None:
        super().__init__()
        self._usage: Usage | None = None
        self._usage_with_finish = False
        self._choice_chunks = 0
        self._choice_chunks_with_usage = 0

    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        self.model = self.model or _text_or_none(payload.get("model"))
        choices = _mappings(payload.get("choices"))
        finished = False
        for position, item in enumerate(choices):
            choice = self._choice(_index(item, position))
            delta = item.get("delta")
            if isinstance(delta, Mapping):
                self._delta(choice, delta)
            if item.get("finish_reason") is not None:
                choice.finish_reason = str(item["finish_reason"])
                finished = True
        usage = openai_usage(payload.get("usage"))
        if choices:
            self._choice_chunks += 1
            self._choice_chunks_with_usage += usage is not None
        if usage is not None:
            self._usage, self._usage_with_finish = usage, finished

    @staticmethod
    def _delta(choice: _Choice, delta: Mapping[str, Any]) -> None:
        text, reasoning = openai_content_text(delta.get("content"))
        choice.text.append(text)
        choice.reasoning.append(reasoning)
        for key in ("reasoning_content", "reasoning"):
            if isinstance(delta.get(key), str):
                choice.reasoning.append(delta[key])
        for item in _mappings(delta.get("tool_calls")):
            call = choice.calls.setdefault(_index(item, _call_key(choice, item)), _Call())
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


class _AnthropicMessages(_Accumulator):
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
        self._calls: dict[int, _Call] = {}
        self._texts: dict[int, list[str]] = {}

    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        kind = payload.get("type") if isinstance(payload.get("type"), str) else name
        index = _index(payload, -1)
        if kind == "message_start" and isinstance(payload.get("message"), Mapping):
            message = payload["message"]
            self._message = True
            self.model = _text_or_none(message.get("model"))
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
        usage = anthropic_usage(raw)
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
            self._calls[index] = _Call(str(block.get("name") or ""), initial=block.get("input", {}))
            self._order.append(("tool_use", index))
        elif kind in ("text", "thinking"):
            self._texts[index] = [str(block.get(kind) or "")]
            self._order.append((kind, index))

    def _block_delta(self, index: int, delta: Mapping[str, Any]) -> None:
        """Apply a delta; a block whose start event was lost is opened by its first delta."""
        kind = delta.get("type")
        if kind == "input_json_delta" and isinstance(delta.get("partial_json"), str):
            if index not in self._calls:
                self._calls[index] = _Call(initial={})
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
        message = _Choice(finish_reason=self._finish_reason)
        for kind, index in self._order:
            if kind == "tool_use":
                message.calls[len(message.calls)] = self._calls[index]
            else:
                (message.text if kind == "text" else message.reasoning).extend(self._texts[index])
        return message.reading(1 if self._message else None, self.model)


class _GeminiGenerate(_Choices):
    """``GenerateContentResponse`` chunks, over SSE (``alt=sse``) or a streamed JSON array."""

    def __init__(self) -> None:
        super().__init__()
        self._usage: Usage | None = None
        self._chunks = 0
        self._chunks_with_usage = 0
        self._blocked = False

    def chunk(self, payload: Mapping[str, Any], name: str | None) -> None:
        self._chunks += 1
        self.model = self.model or _text_or_none(payload.get("modelVersion"))
        usage = gemini_usage(payload.get("usageMetadata"))
        if usage is not None:
            # Cumulative: each chunk restates the totals so far, so the last one counts.
            self._usage = usage
            self._chunks_with_usage += 1
        feedback = payload.get("promptFeedback")
        if isinstance(feedback, Mapping) and feedback.get("blockReason"):
            self._blocked = True
        for position, candidate in enumerate(_mappings(payload.get("candidates"))):
            choice = self._choice(_index(candidate, position))
            text, reasoning, calls = gemini_parts(candidate)
            choice.text.append(text)
            choice.reasoning.append(reasoning)
            for call in calls:
                choice.calls[len(choice.calls)] = _Call(call.name, initial=call.arguments)
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


_ACCUMULATORS: dict[Dialect, type[_Accumulator]] = {
    "openai-chat": _OpenAIChat,
    "anthropic-messages": _AnthropicMessages,
    "gemini-generate": _GeminiGenerate,
}
_ELEMENT_DECODERS: dict[Framing, type[ElementDecoder]] = {
    "ndjson": NDJSONDecoder,
    "json-array": JSONArrayDecoder,
    "json": JSONDocumentDecoder,
}


class StreamReader:
    """Reads one streamed answer fed in transport chunks; ``finish`` returns the Reading.

    The framing comes from the content type, else from the body's first bytes (held back until
    one that is not whitespace arrives). ``url`` only matters for a JSON body starting with ``[``.
    """

    def __init__(self, dialect: Dialect, content_type: str | None = None, url: str | None = None) -> None:
        self._dialect = _ACCUMULATORS[dialect]()
        self._content_type = content_type
        self._url = url
        self._held: list[bytes] = []
        self._decoder: SSEDecoder | ElementDecoder | None = None
        self._events = 0
        self._names: list[str] = []
        self._done = False
        self._error: ErrorInfo | None = None
        #: ``data:`` payloads or JSON values that could not be parsed (skipped).
        self.malformed = 0
        if pick_framing(content_type) in ("sse", "ndjson"):
            self._begin(b"")

    def _begin(self, head: bytes) -> SSEDecoder | ElementDecoder:
        """Choose the framing now that the body's start is known, and replay what was held."""
        framing = pick_framing(self._content_type, head, self._url)
        decoder = SSEDecoder() if framing == "sse" else _ELEMENT_DECODERS[framing]()
        self._decoder = decoder
        self._held = []
        if head:
            self._decode(decoder, head)
        return decoder

    def feed(self, chunk: bytes) -> None:
        """Take the next transport chunk; its complete events are read at once (memory stays
        flat apart from the text, tool calls and event names being collected)."""
        if self._decoder is not None:
            self._decode(self._decoder, chunk)
            return
        self._held.append(chunk)
        head = b"".join(self._held)
        if head.removeprefix(b"\xef\xbb\xbf").strip():
            self._begin(head)

    def _decode(self, decoder: SSEDecoder | ElementDecoder, chunk: bytes) -> None:
        if isinstance(decoder, SSEDecoder):
            for event in decoder.feed(chunk):
                if event.event is not None:
                    self._names.append(event.event)
                self._data(event.data, event.event)
        else:
            self._values(decoder.feed(chunk))

    def _data(self, data: str, name: str | None) -> None:
        self._events += 1
        if data.strip() == _DONE:
            self._done = True
            return
        try:
            payload = json.loads(data)
        except ValueError:
            self.malformed += 1
            return
        self._payload(payload, name)

    def _values(self, values: list[Any]) -> None:
        self._events += len(values)
        for value in values:
            self._payload(value, None)

    def _payload(self, payload: Any, name: str | None) -> None:
        if not isinstance(payload, Mapping):
            return
        error = _stream_error(payload)
        if error is not None:
            self._error = error
        self._dialect.chunk(payload, name)

    def finish(self) -> Reading:
        """End of body: flush the decoder and build the Reading (call once)."""
        decoder = self._decoder or self._begin(b"".join(self._held))
        if isinstance(decoder, SSEDecoder):
            cut, comments = decoder.close().truncated, decoder.comments
        else:
            self._values(decoder.close())
            self.malformed += decoder.malformed
            cut, comments = decoder.truncated, 0
        ended = self._done or self._error is not None or self._dialect.ended
        usage, location = self._dialect.usage()
        facts = StreamFacts(
            events=self._events,
            done_sentinel=self._done,
            usage_location=location,
            line_endings=decoder.line_endings,
            event_names=tuple(self._names),
            comments=comments,
            truncated=cut or not ended,
        )
        return replace(self._dialect.reading(), usage=usage, error=self._error, stream=facts)


def read_stream_chunks(
    dialect: Dialect,
    chunks: Iterable[bytes],
    content_type: str | None = None,
    url: str | None = None,
) -> Reading:
    """Read a streamed answer given as transport chunks (split anywhere)."""
    reader = StreamReader(dialect, content_type, url)
    for chunk in chunks:
        reader.feed(chunk)
    return reader.finish()


def read_stream(dialect: Dialect, body: bytes, content_type: str | None = None, url: str | None = None) -> Reading:
    """Read a whole streamed body, e.g. from a cassette."""
    return read_stream_chunks(dialect, (body,), content_type, url)
