"""Turn one HTTP answer into an Observation: the mechanism shared by every provider.

The outcome comes from the status (the provider's transient statuses are ``transient``,
other errors ``rejected``); the error from the provider's envelope readers; the rest from the
dialect's body reader, its stream reader when the answer is a stream, or the shared model-list
reader for ``GET .../models``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from provider_quirks.dialects import read_model_list
from provider_quirks.envelopes import read_error
from provider_quirks.observation import ErrorInfo, Observation, Outcome, Reading
from provider_quirks.providers import Provider
from provider_quirks.scrub import is_kept_response_header
from provider_quirks.streaming.readers import read_stream

STREAM_CONTENT_TYPES = ("text/event-stream", "application/x-ndjson", "application/jsonl")


def is_stream(content_type: str, uri: str) -> bool:
    """Streams are told by content type, or by Gemini's streaming method (JSON-array mode)."""
    return content_type.split(";")[0].strip().lower() in STREAM_CONTENT_TYPES or ":streamGenerateContent" in uri


def observe(provider: Provider, status: int, headers: Mapping[str, str], body: bytes, uri: str) -> Observation:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    outcome: Outcome
    if status in provider.transient_statuses:
        outcome = "transient"
    elif 200 <= status < 300:
        outcome = "accepted"
    else:
        outcome = "rejected"
    # Sorted: the HTTP layers hand headers over in no fixed order, and results and reports must be stable.
    kept = dict(sorted((k.lower(), v) for k, v in headers.items() if is_kept_response_header(k)))
    if outcome != "accepted":
        reading = Reading(error=read_error(body, provider.envelopes))
    else:
        reading = _read_success(provider, content_type, body, uri)
    return Observation(provider.name, status, outcome, reading, headers=kept)


def _read_success(provider: Provider, content_type: str, body: bytes, uri: str) -> Reading:
    if is_stream(content_type, uri):
        return read_stream(provider.dialect, body, content_type)
    try:
        parsed = json.loads(body)
    except ValueError:
        return Reading(text=body.decode("utf-8", errors="replace"))
    if not isinstance(parsed, Mapping):
        return Reading()
    return read_model_list(parsed) or provider.dialect.read_body(parsed)


def no_http_answer(provider: Provider, reason: str) -> Observation:
    """A timeout or a reset connection, before any HTTP status: transient, with what happened as the message."""
    return Observation(provider.name, None, "transient", Reading(error=ErrorInfo("connection", reason, None)))
