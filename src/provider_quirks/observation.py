"""The normalized view of one provider answer.

Every provider answers in its own shape; quirks compare behaviour, so each answer is first
reduced to the same small record. Readers (``dialects``, ``envelopes``, ``streaming``) fill it;
expectations and the report only ever look at this record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Outcome = Literal["accepted", "rejected", "transient"]
UsageLocation = Literal["absent", "final-chunk", "finish-chunk", "every-chunk", "message-events", "completed-event"]
LineEndings = Literal["lf", "crlf", "cr", "mixed", "none"]

#: Observation keys printed by ``quirks inspect``, in this order (a documented, public shape);
#: the command adds the interaction's ``evidence`` after them (see ``provenance.evidence_view``).
INSPECT_KEYS = (
    "provider",
    "status",
    "outcome",
    "error",
    "text",
    "tool_calls",
    "finish_reason",
    "usage",
    "stream",
)
#: Keys of the ``stream`` object printed by ``quirks inspect``.
INSPECT_STREAM_KEYS = (
    "events",
    "done_sentinel",
    "usage_location",
    "line_endings",
    "event_names",
    "comments",
)


@dataclass(frozen=True)
class ErrorInfo:
    """An error as the provider states it: its own type, message and offending field.

    ``upstream`` is the error of the provider behind a router, as the router relays it (OpenRouter's
    ``metadata.raw``): the router's own message says only that its upstream refused, so a quirk
    seen through the router is asserted on this text.
    """

    type: str | None
    message: str | None
    param: str | None
    code: str | None = None
    upstream: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "message": self.message,
            "param": self.param,
            "code": self.code,
            "upstream": self.upstream,
        }


@dataclass(frozen=True)
class ToolCall:
    """A tool call; ``arguments`` is parsed JSON where the provider sent JSON text."""

    name: str
    arguments: Any

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "arguments": self.arguments}


@dataclass(frozen=True)
class Usage:
    """Token counts under one vocabulary, whatever the provider calls them."""

    input_tokens: int | None
    output_tokens: int | None

    def to_json(self) -> dict[str, Any]:
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens}


@dataclass(frozen=True)
class StreamFacts:
    """How a streamed answer was framed: the facts that differ between providers."""

    events: int
    done_sentinel: bool
    usage_location: UsageLocation
    line_endings: LineEndings
    event_names: tuple[str, ...]
    comments: int
    truncated: bool = False
    #: Where a dialect defines the order of its events (the Responses API): every departure from it.
    order_problems: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "done_sentinel": self.done_sentinel,
            "usage_location": self.usage_location,
            "line_endings": self.line_endings,
            "event_names": list(self.event_names),
            "comments": self.comments,
            "truncated": self.truncated,
            "order_problems": list(self.order_problems) if self.order_problems is not None else None,
        }


@dataclass(frozen=True)
class Reading:
    """What a body reader extracts from a successful answer (plain or streamed)."""

    text: str = ""
    reasoning: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None
    usage: Usage | None = None
    choices: int | None = None
    error: ErrorInfo | None = None
    stream: StreamFacts | None = None
    model: str | None = None
    models: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Observation:
    """One interaction, normalized: the HTTP facts plus what the body reader found in it."""

    provider: str
    status: int | None
    outcome: Outcome
    reading: Reading = field(default_factory=Reading)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def error(self) -> ErrorInfo | None:
        return self.reading.error

    def to_json(self) -> dict[str, Any]:
        """The full record, as stored in results files and compared with expectations."""
        reading = self.reading
        return {
            "provider": self.provider,
            "status": self.status,
            "outcome": self.outcome,
            "error": reading.error.to_json() if reading.error else None,
            "text": reading.text,
            "reasoning": reading.reasoning,
            "tool_calls": [call.to_json() for call in reading.tool_calls],
            "finish_reason": reading.finish_reason,
            "usage": reading.usage.to_json() if reading.usage else None,
            "choices": reading.choices,
            "stream": reading.stream.to_json() if reading.stream else None,
            "model": reading.model,
            "models": list(reading.models) if reading.models is not None else None,
            "headers": dict(self.headers),
        }

    def inspect_view(self) -> dict[str, Any]:
        """Exactly the documented keys of ``quirks inspect``."""
        full = self.to_json()
        view = {key: full[key] for key in INSPECT_KEYS}
        if view["error"] is not None:
            view["error"] = {key: view["error"][key] for key in ("type", "message", "param")}
        if view["stream"] is not None:
            view["stream"] = {key: view["stream"][key] for key in INSPECT_STREAM_KEYS}
        return view
