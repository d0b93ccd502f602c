"""The JSON framings (Gemini's streamed array, NDJSON, a plain body) and picking a framing."""

from __future__ import annotations

import pytest

from provider_quirks.streaming import (
    JSONArrayDecoder,
    JSONDocumentDecoder,
    NDJSONDecoder,
    pick_framing,
)


@pytest.mark.parametrize(
    ("content_type", "head", "url", "framing"),
    [
        ("text/event-stream; charset=utf-8", b"[", None, "sse"),
        ("Text/Event-Stream", b"", None, "sse"),
        ("application/x-ndjson", b"{", None, "ndjson"),
        ("application/json; charset=UTF-8", b"\r\n [{", None, "json-array"),
        (
            "application/json",
            b"[{",
            "https://h/v1beta/models/m:streamGenerateContent",
            "json-array",
        ),
        ("application/json", b"[{", "https://h/v1/models", "json"),
        ("application/json", b'{"error": {}}', None, "json"),
        (None, b"\xef\xbb\xbfdata: {}", None, "sse"),
        (None, b": keep-alive\n", None, "sse"),
        (None, b"event: ping\n", None, "sse"),
        ("application/json", b"data: {}", None, "json"),
        (None, b"", None, "json"),
    ],
)
def test_pick_framing(content_type, head, url, framing) -> None:
    assert pick_framing(content_type, head, url) == framing


def test_array_element_is_yielded_at_its_closing_brace() -> None:
    decoder = JSONArrayDecoder()
    assert decoder.feed(b'[{"a": [1, {"b": 2}]') == []
    assert decoder.feed(b"}") == [{"a": [1, {"b": 2}]}]
    assert decoder.feed(b",\r\n") == []


def test_array_strings_with_brackets_quotes_and_escapes_split_anywhere() -> None:
    body = rb'[{"t": "a]b}c{[\"\\"}, "x\\\"]"]'
    decoder = JSONArrayDecoder()
    values = [value for byte in range(len(body)) for value in decoder.feed(body[byte : byte + 1])]
    assert values + decoder.close() == [{"t": 'a]b}c{["\\'}, 'x\\"]']
    assert not decoder.truncated


def test_array_scalar_elements_end_at_separators() -> None:
    decoder = JSONArrayDecoder()
    assert decoder.feed(b"[1, tr") == [1]
    assert decoder.feed(b"ue ,null,-2.5e3]") == [True, None, -2500.0]


def test_array_malformed_element_is_counted_and_skipped() -> None:
    decoder = JSONArrayDecoder()
    values = decoder.feed(b'[{"a": 1}, nope, {"b": 2}]') + decoder.close()
    assert (values, decoder.malformed, decoder.truncated) == ([{"a": 1}, {"b": 2}], 1, False)


def test_array_without_closing_bracket_is_truncated() -> None:
    decoder = JSONArrayDecoder()
    values = decoder.feed(b'[{"a": 1},\r\n{"b": ') + decoder.close()
    assert (values, decoder.truncated) == ([{"a": 1}], True)


def test_array_reports_its_line_endings() -> None:
    decoder = JSONArrayDecoder()
    decoder.feed(b'[{"a": 1}\n,\r\n{"b": 2}\n]')
    decoder.close()
    assert decoder.line_endings == "mixed"


def test_bare_object_is_yielded_whole() -> None:
    decoder = JSONArrayDecoder()
    assert decoder.feed(b'{"error": {"code": 400}}') == [{"error": {"code": 400}}]
    assert (decoder.close(), decoder.truncated) == ([], False)


def test_ndjson_lines_with_crlf_and_blank_lines() -> None:
    decoder = NDJSONDecoder()
    values = decoder.feed(b'{"a": 1}\r\n\r\n{"b"') + decoder.feed(b": 2}\n{}") + decoder.close()
    assert (values, decoder.truncated, decoder.line_endings) == (
        [{"a": 1}, {"b": 2}, {}],
        False,
        "mixed",
    )


def test_ndjson_cut_last_line_is_truncated_not_malformed() -> None:
    decoder = NDJSONDecoder()
    values = decoder.feed(b'{"done": false}\n{"done": tr') + decoder.close()
    assert (values, decoder.truncated, decoder.malformed) == ([{"done": False}], True, 0)


def test_ndjson_malformed_line_is_counted() -> None:
    decoder = NDJSONDecoder()
    values = decoder.feed(b"{oops}\n[1]\n") + decoder.close()
    assert (values, decoder.malformed) == ([[1]], 1)


def test_json_document_is_parsed_at_close() -> None:
    decoder = JSONDocumentDecoder()
    assert decoder.feed(b'{"a": [1, 2') == []
    assert decoder.feed(b"]}\n") == []
    assert (decoder.close(), decoder.truncated) == ([{"a": [1, 2]}], False)


def test_json_document_that_does_not_parse_is_truncated() -> None:
    decoder = JSONDocumentDecoder()
    decoder.feed(b'{"a": ')
    assert (decoder.close(), decoder.truncated) == ([], True)
