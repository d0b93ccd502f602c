"""The reader of streamed answers: framing here, the dialect's meaning in its accumulator.

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
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from provider_quirks.envelopes import (
    anthropic_envelope,
    google_envelope,
    object_error_envelope,
    openai_envelope,
)
from provider_quirks.observation import ErrorInfo, Reading, StreamFacts
from provider_quirks.streaming.framing import (
    ElementDecoder,
    Framing,
    JSONArrayDecoder,
    JSONDocumentDecoder,
    NDJSONDecoder,
    pick_framing,
)
from provider_quirks.streaming.sse import SSEDecoder

if TYPE_CHECKING:
    from provider_quirks.dialects.base import WireDialect

_DONE = "[DONE]"

#: Error shapes met inside streams (``object_error`` is Mistral's and older vLLM's), whatever the
#: dialect: each reader answers None for the others' shapes.
_ENVELOPES = (anthropic_envelope, google_envelope, openai_envelope, object_error_envelope)


def _stream_error(payload: Mapping[str, Any]) -> ErrorInfo | None:
    for envelope in _ENVELOPES:
        error = envelope(payload)
        if error is not None:
            return error
    return None


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

    def __init__(self, dialect: WireDialect, content_type: str | None = None, url: str | None = None) -> None:
        self._accumulator = dialect.stream_accumulator()
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
        self._accumulator.chunk(payload, name)

    def finish(self) -> Reading:
        """End of body: flush the decoder and build the Reading (call once)."""
        decoder = self._decoder or self._begin(b"".join(self._held))
        if isinstance(decoder, SSEDecoder):
            cut, comments = decoder.close().truncated, decoder.comments
        else:
            self._values(decoder.close())
            self.malformed += decoder.malformed
            cut, comments = decoder.truncated, 0
        ended = self._done or self._error is not None or self._accumulator.ended
        usage, location = self._accumulator.usage()
        facts = StreamFacts(
            events=self._events,
            done_sentinel=self._done,
            usage_location=location,
            line_endings=decoder.line_endings,
            event_names=tuple(self._names),
            comments=comments,
            truncated=cut or not ended,
            order_problems=self._accumulator.order_problems(),
        )
        return replace(self._accumulator.reading(), usage=usage, error=self._error, stream=facts)


def read_stream_chunks(
    dialect: WireDialect,
    chunks: Iterable[bytes],
    content_type: str | None = None,
    url: str | None = None,
) -> Reading:
    """Read a streamed answer given as transport chunks (split anywhere)."""
    reader = StreamReader(dialect, content_type, url)
    for chunk in chunks:
        reader.feed(chunk)
    return reader.finish()


def read_stream(dialect: WireDialect, body: bytes, content_type: str | None = None, url: str | None = None) -> Reading:
    """Read a whole streamed body, e.g. from a cassette."""
    return read_stream_chunks(dialect, (body,), content_type, url)
