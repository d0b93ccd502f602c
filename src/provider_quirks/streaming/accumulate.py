"""What every dialect's stream accumulator shares: the interface and the pieces of an answer.

A dialect module (``provider_quirks.dialects.*``) subclasses :class:`Accumulator` to say what its
chunks mean; the framing (event stream, JSON array, NDJSON) is the business of
:class:`~provider_quirks.streaming.readers.StreamReader`. Accumulators never raise on what the
provider sent.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from provider_quirks.observation import Reading, ToolCall, Usage, UsageLocation


def parse_arguments(raw: Any) -> Any:
    """Tool arguments arrive as JSON text (OpenAI) or as objects (Anthropic, Gemini)."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a list; anything else is no items."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def index_of(item: Mapping[str, Any], fallback: int) -> int:
    index = item.get("index")
    return index if isinstance(index, int) and not isinstance(index, bool) else fallback


@dataclass
class Call:
    """A tool call being assembled from fragments."""

    name: str = ""
    fragments: list[str] = field(default_factory=list)
    initial: Any = None
    ident: Any = None

    def tool_call(self) -> ToolCall:
        raw = "".join(self.fragments)
        return ToolCall(self.name, parse_arguments(raw) if raw else self.initial)


@dataclass
class Choice:
    """One choice (OpenAI) or candidate (Gemini) being assembled."""

    text: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    calls: dict[int, Call] = field(default_factory=dict)
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


class Accumulator(ABC):
    """What one dialect makes of its chunks; a new one per streamed answer."""

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

    def order_problems(self) -> tuple[str, ...] | None:
        """Departures from the order the dialect's events must come in; None where it defines none."""
        return None


class Choices(Accumulator, ABC):
    """Dialects with several choices or candidates, each keyed by its ``index``."""

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[int, Choice] = {}

    def reading(self) -> Reading:
        """The first choice (lowest index), as the plain-body readers do."""
        first = self.choices[min(self.choices)] if self.choices else Choice()
        return first.reading(len(self.choices) or None, self.model)

    def choice(self, index: int) -> Choice:
        return self.choices.setdefault(index, Choice())
