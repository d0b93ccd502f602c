"""Streamed bodies for the streaming tests: the hand-written corpus and every streamed cassette.

The corpus (``streams/<dialect>--<name>.<ext>``) is written by hand after public recordings of
each dialect's streams; the extension gives the content type. Cassettes are read with the
suite's own loader, so a cassette recorded later is covered by the property tests without any
change here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from provider_quirks.cassette import Interaction, load_cassette
from provider_quirks.dialects import ANTHROPIC_MESSAGES, DIALECTS, GEMINI_GENERATE, OPENAI_CHAT, WireDialect

STREAMS = Path(__file__).parent / "streams"
CASSETTES = Path(__file__).parents[2] / "cassettes"
CONTENT_TYPES = {
    ".sse": "text/event-stream",
    ".json": "application/json",
    ".ndjson": "application/x-ndjson",
}


@dataclass(frozen=True)
class StreamCase:
    """One streamed body and what a reader needs to know about it."""

    name: str
    dialect: WireDialect
    body: bytes
    content_type: str | None
    url: str | None = None


def _corpus() -> dict[str, StreamCase]:
    cases = {}
    for path in sorted(STREAMS.glob("*--*.*")):
        prefix = path.name.split("--")[0]
        assert prefix in DIALECTS, f"{path.name}: unknown dialect prefix"
        cases[path.name] = StreamCase(path.name, DIALECTS[prefix], path.read_bytes(), CONTENT_TYPES[path.suffix])
    return cases


def _dialect_of(uri: str) -> WireDialect | None:
    path = urlsplit(uri).path
    if "generateContent" in path or "streamGenerateContent" in path:
        return GEMINI_GENERATE
    if path.endswith("/messages"):
        return ANTHROPIC_MESSAGES
    if path.endswith("/chat/completions"):
        return OPENAI_CHAT
    return None


def _asked_to_stream(interaction: Interaction) -> bool:
    """An event-stream answer, a streaming endpoint, or a request body with ``stream: true``."""
    if interaction.content_type.startswith("text/event-stream"):
        return True
    if "stream" in urlsplit(interaction.uri).path:
        return True
    try:
        request = json.loads(interaction.request_body or b"null")
    except ValueError:
        return False
    return isinstance(request, dict) and request.get("stream") is True


def _cassette_streams() -> list[StreamCase]:
    cases = []
    for path in sorted(CASSETTES.glob("**/*.yaml")):
        for index, interaction in enumerate(load_cassette(path).interactions):
            dialect = _dialect_of(interaction.uri)
            if dialect is None or not _asked_to_stream(interaction):
                continue
            name = f"{path.relative_to(CASSETTES)}#{index}"
            body, content_type = interaction.response_body, interaction.content_type or None
            cases.append(StreamCase(name, dialect, body, content_type, interaction.uri))
    return cases


CORPUS = _corpus()
ALL_STREAMS = [*CORPUS.values(), *_cassette_streams()]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``stream_case``: the corpus and all streamed cassettes, as plain values (not fixtures),
    so hypothesis tests can take them."""
    if "stream_case" in metafunc.fixturenames:
        metafunc.parametrize("stream_case", ALL_STREAMS, ids=[case.name for case in ALL_STREAMS])


@pytest.fixture(scope="session")
def corpus() -> dict[str, StreamCase]:
    return CORPUS
