"""Where each part of a cassette's answer comes from: quoted from a source, or filled in by the suite.

A recorded answer is the provider's in full. A reconstructed one quotes its body from a public
source, but the status code, reason phrase and kept headers are often the suite's fill-in after
the provider's documented envelope; the interaction's ``evidence.quoted`` lists the parts the
source really shows. ``quirks inspect`` and the report show both lists, so a reader knows which
bytes to trust as the provider's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from provider_quirks.cassette import Cassette, Interaction

#: The parts of an answer a source can show, in the order they are listed.
PARTS = ("status", "reason", "headers", "body")
#: How a part reads in a sentence (headers are named by the headers the cassette keeps).
PART_LABELS = {"status": "status", "reason": "reason phrase", "headers": "headers", "body": "body"}


@dataclass(frozen=True)
class Provenance:
    """The parts of one reconstructed answer its source shows, and those the suite filled in."""

    quoted: tuple[str, ...]
    filled: tuple[str, ...]
    header_names: tuple[str, ...]
    envelope: str | None

    def describe(self) -> str:
        """``quoted: status, body · filled by the suite: reason phrase, content-type header``."""
        quoted = ", ".join(self._label(part) for part in self.quoted) or "nothing declared"
        filled = ", ".join(self._label(part) for part in self.filled) or "nothing"
        text = f"quoted: {quoted} · filled by the suite: {filled}"
        if self.envelope:
            text += f" · body completed after the {self.envelope} envelope"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"quoted": list(self.quoted), "filled": list(self.filled), "envelope": self.envelope}

    def _label(self, part: str) -> str:
        if part != "headers" or not self.header_names:
            return PART_LABELS[part]
        return ", ".join(self.header_names) + (" header" if len(self.header_names) == 1 else " headers")


def in_order(parts: Iterable[object]) -> tuple[str, ...]:
    """The known parts among ``parts``, once each, in ``PARTS`` order."""
    named = {str(part) for part in parts}
    return tuple(part for part in PARTS if part in named)


def present_parts(interaction: Interaction) -> tuple[str, ...]:
    """The parts the interaction has: a reason phrase or headers only when the cassette keeps some."""
    has = {
        "status": True,
        "reason": bool(interaction.reason),
        "headers": bool(interaction.response_headers),
        "body": True,
    }
    return tuple(part for part in PARTS if has[part])


def provenance(cassette: Cassette, interaction: Interaction) -> Provenance | None:
    """The parts of a reconstructed interaction; None for a recorded answer or another tool's cassette."""
    if cassette.evidence.get("level") != "reconstructed":
        return None
    note = interaction.evidence or {}
    quoted = in_order(note.get("quoted") or ())
    envelope = note.get("envelope")
    return Provenance(
        quoted=quoted,
        filled=tuple(part for part in present_parts(interaction) if part not in quoted),
        header_names=tuple(interaction.response_headers),
        envelope=str(envelope) if envelope else None,
    )


def evidence_view(cassette: Cassette, interaction: Interaction) -> dict[str, Any]:
    """The ``evidence`` object of ``quirks inspect``: where the interaction's bytes come from."""
    evidence = cassette.evidence
    level = evidence.get("level")
    parts = provenance(cassette, interaction)
    if parts is not None:
        source = (interaction.evidence or {}).get("source")
        return {"level": level, "source": str(source) if source else None, **parts.to_json()}
    if level == "recorded":
        recorded_at = evidence.get("recorded_at")
        server = evidence.get("server")
        return {
            "level": level,
            "recorded_at": str(recorded_at) if recorded_at else None,
            "server": str(server) if server else None,
        }
    return {"level": "none"}
