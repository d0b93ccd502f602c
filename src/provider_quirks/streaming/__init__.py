"""Streamed answers: event-stream and JSON framings, and per-dialect readers."""

from provider_quirks.streaming.framing import (
    Framing,
    JSONArrayDecoder,
    JSONDocumentDecoder,
    NDJSONDecoder,
    pick_framing,
)
from provider_quirks.streaming.readers import StreamReader, read_stream, read_stream_chunks
from provider_quirks.streaming.sse import LineEndingTracker, SSEDecoder, SSEEvent, StreamEnd

__all__ = [
    "Framing",
    "JSONArrayDecoder",
    "JSONDocumentDecoder",
    "LineEndingTracker",
    "NDJSONDecoder",
    "SSEDecoder",
    "SSEEvent",
    "StreamEnd",
    "StreamReader",
    "pick_framing",
    "read_stream",
    "read_stream_chunks",
]
