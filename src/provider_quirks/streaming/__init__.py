"""Streamed answers: event-stream and JSON framings, and the reader that feeds a dialect's accumulator."""

from provider_quirks.streaming.framing import (
    Framing,
    JSONArrayDecoder,
    JSONDocumentDecoder,
    NDJSONDecoder,
    pick_framing,
)
from provider_quirks.streaming.readers import StreamReader, read_stream, read_stream_chunks
from provider_quirks.streaming.sse import SSEDecoder, SSEEvent, StreamEnd, StreamText

__all__ = [
    "Framing",
    "JSONArrayDecoder",
    "JSONDocumentDecoder",
    "NDJSONDecoder",
    "SSEDecoder",
    "SSEEvent",
    "StreamEnd",
    "StreamReader",
    "StreamText",
    "pick_framing",
    "read_stream",
    "read_stream_chunks",
]
