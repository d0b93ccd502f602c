"""Properties of the stream decoders and readers that must hold for any transport split or cut.

The transport decides where bytes split and where a broken connection cuts them, so neither may
change what is read: (a) any split of a stream gives the same events and the same Reading;
(b) an event stream built from arbitrary events decodes back to them; (c) a cut stream is read
without raising and is either marked truncated or already complete; (d) the JSON framings give
the same elements under any split. (a) and (c) run over the corpus and every streamed cassette.
The number of examples comes from the project's hypothesis profile (see the root conftest).
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from provider_quirks.dialects import DIALECTS
from provider_quirks.streaming import (
    JSONArrayDecoder,
    NDJSONDecoder,
    SSEDecoder,
    SSEEvent,
    read_stream,
    read_stream_chunks,
)

ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *sorted(cuts), len(body)]
    return [body[start:end] for start, end in pairwise(bounds)]


def sse_events(chunks: list[bytes]) -> tuple[list[SSEEvent], Any]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events, (decoder.close(), decoder.comments, decoder.line_endings)


def content(reading: Any) -> tuple[Any, ...]:
    """What a complete stream must already hold, whatever came after its end."""
    return (
        reading.text,
        reading.reasoning,
        reading.tool_calls,
        reading.finish_reason,
        reading.error,
    )


# --- (a) splits ----------------------------------------------------------------------------------


@given(data=st.data())
def test_any_split_reads_the_same(stream_case, data) -> None:
    body = stream_case.body
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=40), label="cuts")
    whole = read_stream(stream_case.dialect, body, stream_case.content_type, stream_case.url)
    chunks = split(body, cuts)
    args = (stream_case.content_type, stream_case.url)
    assert read_stream_chunks(stream_case.dialect, chunks, *args) == whole
    if stream_case.content_type == "text/event-stream":
        assert sse_events(chunks) == sse_events([body])


def test_one_byte_chunks_read_the_same(stream_case) -> None:
    body = stream_case.body
    chunks = [body[i : i + 1] for i in range(len(body))]
    args = (stream_case.content_type, stream_case.url)
    assert read_stream_chunks(stream_case.dialect, chunks, *args) == read_stream(stream_case.dialect, body, *args)


# --- (b) round trip -------------------------------------------------------------------------

field_text = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]))
events_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "data": st.text(),
            "name": field_text.filter(bool) | st.none(),
            "id": field_text.filter(lambda value: "\0" not in value) | st.none(),
            "retry": st.integers(0, 10**6) | st.none(),
            "comment": field_text | st.none(),
            "compact": st.booleans(),
        }
    ),
    max_size=6,
)


def field(name: str, value: str, compact: bool) -> str:
    """A field line; ``name:value`` without the space only when that reads back the same."""
    return f"{name}:{value}" if compact and not value.startswith(" ") else f"{name}: {value}"


def build_stream(events: list[dict[str, Any]]) -> tuple[list[str], list[SSEEvent], int]:
    lines, expected, last_id, comments = [], [], None, 0
    for event in events:
        if event["comment"] is not None:
            lines.append(":" + event["comment"])
            comments += 1
        for name in ("name", "id", "retry"):
            if event[name] is not None:
                lines.append(field("event" if name == "name" else name, str(event[name]), True))
        last_id = event["id"] if event["id"] is not None else last_id
        data_lines = re.split(r"\r\n|\r|\n", event["data"])
        lines += [field("data", line, event["compact"]) for line in data_lines]
        lines.append("")
        expected.append(SSEEvent(event["name"], "\n".join(data_lines), last_id, event["retry"]))
    return lines, expected, comments


@given(
    events=events_strategy,
    ending=st.sampled_from(sorted(ENDINGS)),
    bom=st.booleans(),
    data=st.data(),
)
def test_generated_stream_decodes_back_to_its_events(events, ending, bom, data) -> None:
    lines, expected, comments = build_stream(events)
    body = (("\ufeff" if bom else "") + "".join(line + ENDINGS[ending] for line in lines)).encode()
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=20), label="cuts")
    decoded, (end, counted, line_endings) = sse_events(split(body, cuts))
    assert decoded == expected
    assert (end.truncated, counted) == (False, comments)
    assert line_endings == (ending if lines else "none")


# --- (c) cuts -------------------------------------------------------------------------------


def assert_cut_is_truncated_or_complete(stream_case, cut: int) -> None:
    args = (stream_case.content_type, stream_case.url)
    whole = read_stream(stream_case.dialect, stream_case.body, *args)
    reading = read_stream(stream_case.dialect, stream_case.body[:cut], *args)
    assert reading.stream is not None
    if cut == len(stream_case.body):
        assert reading == whole
    elif not reading.stream.truncated:
        assert content(reading) == content(whole)


@given(data=st.data())
def test_cut_stream_is_truncated_or_complete(stream_case, data) -> None:
    cut = data.draw(st.integers(0, len(stream_case.body)), label="cut")
    assert_cut_is_truncated_or_complete(stream_case, cut)


#: Line endings tried per stream by the boundary test: each cut re-reads its prefix, so a long
#: recording is sampled; the last ones, where a stream becomes complete, are always tried.
BOUNDARIES = 60


def test_cut_at_line_boundaries_is_truncated_or_complete(stream_case) -> None:
    """Cuts next to a line ending are where an event is whole but not yet dispatched."""
    ends = [match.end() for match in re.finditer(rb"\r\n|\r|\n", stream_case.body)]
    step = max(1, len(ends) // (BOUNDARIES // 2))
    tried = set(ends[::step] + ends[-BOUNDARIES // 2 :])
    for cut in sorted(tried | {end - 1 for end in tried} | {end + 1 for end in tried}):
        assert_cut_is_truncated_or_complete(stream_case, min(cut, len(stream_case.body)))


# --- (d) JSON framings ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@given(
    values=st.lists(json_values, max_size=6),
    indent=st.sampled_from([None, 2]),
    ascii_only=st.booleans(),
    separator=st.sampled_from([",", ",\r\n", "\n,\r\n", " , "]),
    data=st.data(),
)
def test_json_array_elements_under_any_split(values, indent, ascii_only, separator, data) -> None:
    items = [json.dumps(value, indent=indent, ensure_ascii=ascii_only) for value in values]
    body = ("[" + separator.join(items) + "\n]").encode()
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=20), label="cuts")
    decoder = JSONArrayDecoder()
    elements = [value for chunk in split(body, cuts) for value in decoder.feed(chunk)]
    elements += decoder.close()
    assert (elements, decoder.truncated, decoder.malformed) == (values, False, 0)


@given(value=json_values, data=st.data())
def test_json_array_decoder_yields_a_bare_value_whole(value, data) -> None:
    body = json.dumps(value).encode()
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=10), label="cuts")
    decoder = JSONArrayDecoder()
    elements = [item for chunk in split(body, cuts) for item in decoder.feed(chunk)]
    elements += decoder.close()
    expected = value if isinstance(value, list) else [value]
    assert (elements, decoder.truncated) == (expected, False)


@given(
    values=st.lists(json_values, max_size=6),
    ending=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    data=st.data(),
)
def test_ndjson_lines_under_any_split(values, ending, final_newline, data) -> None:
    text = ending.join(json.dumps(value) for value in values) + (ending if final_newline else "")
    body = text.encode()
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=20), label="cuts")
    decoder = NDJSONDecoder()
    elements = [item for chunk in split(body, cuts) for item in decoder.feed(chunk)]
    elements += decoder.close()
    assert (elements, decoder.truncated, decoder.malformed) == (values, False, 0)


@given(values=st.lists(json_values, min_size=1, max_size=4), data=st.data())
def test_cut_json_array_never_raises_and_is_truncated(values, data) -> None:
    body = json.dumps(values).encode()
    cut = data.draw(st.integers(0, len(body) - 1), label="cut")
    decoder = JSONArrayDecoder()
    elements = decoder.feed(body[:cut]) + decoder.close()
    assert elements == values[: len(elements)]
    assert decoder.truncated == (cut > 0)


# --- never raising on what a provider may send ------------------------------------------------

dialects = st.sampled_from(list(DIALECTS.values()))
content_types = st.sampled_from([None, "text/event-stream", "application/json", "application/x-ndjson"])


@given(dialect=dialects, content_type=content_types, body=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(dialect, content_type, body) -> None:
    assert read_stream(dialect, body, content_type).stream is not None


chunk_values = st.recursive(
    json_values,
    lambda children: st.dictionaries(
        st.sampled_from(
            [
                *("choices", "delta", "content", "tool_calls", "index", "function", "arguments"),
                *("name", "usage", "type", "message", "content_block", "partial_json", "error"),
                *("candidates", "parts", "finishReason", "usageMetadata", "text", "thought"),
            ]
        ),
        children,
        max_size=5,
    ),
    max_leaves=20,
)


@given(dialect=dialects, payloads=st.lists(chunk_values, max_size=6))
def test_oddly_shaped_chunks_never_raise(dialect, payloads) -> None:
    body = "".join(f"event: x\ndata: {json.dumps(value)}\n\n" for value in payloads).encode()
    reading = read_stream(dialect, body, "text/event-stream")
    assert reading.stream is not None and reading.stream.events == len(payloads)
