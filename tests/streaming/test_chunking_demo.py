"""The 2024 note's puzzle, replayed: transport chunks are not events.

The note read a stream with ``requests``' ``iter_content(chunk_size=1024)``, kept the chunks that start with
``data: `` and counted the ``data:`` lines in each: "3, 1, 1, …, 1, 2. I still don't know why!". A chunk is
whatever one read returned; an event ends at a blank line and may share a chunk with others or straddle two.
This replays the recorded streams of the ``stream-chunking`` quirk at several chunk sizes: what is counted per
chunk changes with the size, the decoded events and the Reading do not.
"""

import json
from pathlib import Path

import pytest

from provider_quirks.cassette import load_cassette
from provider_quirks.observation import Reading
from provider_quirks.streaming import SSEDecoder, SSEEvent, read_stream_chunks
from provider_quirks.targets import resolve_target

CASSETTES = Path(__file__).parents[2] / "cassettes" / "stream-chunking"
#: Bytes per transport chunk; None is the whole body in one read.
SIZES = (7, 64, 1024, None)


def _streams() -> list[tuple[str, bytes, str]]:
    """(target, body, content type) of every recorded event stream of the quirk."""
    found = []
    for path in sorted(CASSETTES.glob("*.yaml")):
        for interaction in load_cassette(path).interactions:
            if interaction.content_type.startswith("text/event-stream"):
                found.append((path.stem, interaction.response_body, interaction.content_type))
    return found


STREAMS = _streams()


def _chunks(body: bytes, size: int | None) -> list[bytes]:
    return [body] if size is None else [body[start : start + size] for start in range(0, len(body), size)]


def _decode(chunks: list[bytes]) -> tuple[list[int], list[SSEEvent]]:
    """Events completed by each chunk, and all events, through the public decoder."""
    decoder = SSEDecoder()
    per_chunk: list[int] = []
    events: list[SSEEvent] = []
    for chunk in chunks:
        completed = decoder.feed(chunk)
        per_chunk.append(len(completed))
        events += completed
    assert not decoder.close().truncated
    return per_chunk, events


def _reading(target: str, chunks: list[bytes], content_type: str) -> Reading:
    return read_stream_chunks(resolve_target(target).provider.dialect, chunks, content_type)


def test_the_quirk_has_recorded_streams() -> None:
    assert len(STREAMS) >= 2, "the demonstration needs the stream-chunking cassettes"


@pytest.mark.parametrize(("target", "body", "content_type"), STREAMS, ids=[stream[0] for stream in STREAMS])
def test_counts_per_chunk_depend_on_the_chunk_size(target: str, body: bytes, content_type: str) -> None:
    """The note's measure, ``data:`` per chunk, gives a different sequence at every size, with chunks that hold
    none (inside a long event) and chunks that hold several; so does "events completed per chunk"."""
    sizes = [size for size in SIZES if size is None or size < len(body)]
    data_per_chunk = {size: tuple(chunk.count(b"data:") for chunk in _chunks(body, size)) for size in sizes}
    events_per_chunk = {size: tuple(_decode(_chunks(body, size))[0]) for size in sizes}
    assert len(set(data_per_chunk.values())) == len(sizes) >= 3
    assert len(set(events_per_chunk.values())) == len(sizes)
    assert 0 in data_per_chunk[64]
    assert max(data_per_chunk[None]) > 1


@pytest.mark.parametrize(("target", "body", "content_type"), STREAMS, ids=[stream[0] for stream in STREAMS])
def test_decoded_events_and_reading_do_not(target: str, body: bytes, content_type: str) -> None:
    _, whole = _decode([body])
    reading = _reading(target, [body], content_type)
    assert whole[-1].data == "[DONE]"
    assert reading.stream is not None and not reading.stream.truncated
    for size in SIZES[:-1]:
        assert _decode(_chunks(body, size))[1] == whole, f"events differ at {size}-byte chunks"
        assert _reading(target, _chunks(body, size), content_type) == reading, f"Reading differs at {size} bytes"


@pytest.mark.parametrize(("target", "body", "content_type"), STREAMS, ids=[stream[0] for stream in STREAMS])
def test_parsing_each_chunk_loses_events(target: str, body: bytes, content_type: str) -> None:
    """The note's loop: keep 1024-byte chunks (or smaller, for a short stream) that start with ``data: `` and
    parse their ``data:`` lines as JSON. Chunks that start mid-event are dropped and lines cut at a chunk edge do
    not parse: events go missing."""
    chunks = _chunks(body, min(1024, len(body) // 3))
    kept = [chunk for chunk in chunks if chunk.startswith(b"data: ")]
    parsed = 0
    for chunk in kept:
        for line in chunk.decode("utf-8", errors="replace").splitlines():
            if line.startswith("data: "):
                try:
                    json.loads(line[6:])
                except ValueError:
                    continue
                parsed += 1
    _, whole = _decode([body])
    json_events = [event for event in whole if event.data != "[DONE]"]
    assert len(kept) < len(chunks)
    assert parsed < len(json_events)
