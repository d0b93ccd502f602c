"""The event-stream decoder against the WHATWG parsing rules, one rule per test.

Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
"""

from __future__ import annotations

from provider_quirks.streaming import SSEDecoder, SSEEvent


def decode(*chunks: bytes) -> tuple[list[SSEEvent], SSEDecoder]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    return events, decoder


def datas(*chunks: bytes) -> list[str]:
    return [event.data for event in decode(*chunks)[0]]


# --- fields -----------------------------------------------------------------------------------


def test_data_field_becomes_the_event_data() -> None:
    assert decode(b"data: hello\n\n")[0] == [SSEEvent(None, "hello")]


def test_several_data_lines_are_joined_with_lf() -> None:
    assert datas(b"data: one\ndata: two\ndata: three\n\n") == ["one\ntwo\nthree"]


def test_empty_data_lines_still_contribute_a_line() -> None:
    assert datas(b"data:\n\n", b"data:\ndata:\n\n") == ["", "\n"]


def test_event_field_names_the_event() -> None:
    (event,), _ = decode(b"event: message_start\ndata: {}\n\n")
    assert (event.event, event.type) == ("message_start", "message_start")


def test_event_without_name_has_the_default_type_message() -> None:
    (event,), _ = decode(b"data: x\n\n")
    assert (event.event, event.type) == (None, "message")


def test_event_name_applies_to_one_event_only() -> None:
    events, _ = decode(b"event: a\ndata: 1\n\ndata: 2\n\n")
    assert [event.event for event in events] == ["a", None]


def test_id_is_kept_for_later_events() -> None:
    events, _ = decode(b"id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")
    assert [event.id for event in events] == ["7", "7", ""]


def test_id_without_any_id_field_is_none() -> None:
    assert decode(b"data: a\n\n")[0][0].id is None


def test_id_containing_nul_is_ignored() -> None:
    events, _ = decode(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n")
    assert [event.id for event in events] == ["1", "1"]


def test_id_set_in_an_undispatched_block_still_applies() -> None:
    assert decode(b"id: 5\n\ndata: a\n\n")[0][0].id == "5"


def test_retry_with_ascii_digits_is_read() -> None:
    assert decode(b"retry: 3000\ndata: a\n\n")[0][0].retry == 3000


def test_retry_that_is_not_all_ascii_digits_is_ignored() -> None:
    for value in ("10a", "-1", "1.5", "", " 10", "\uff11\uff12"):
        body = f"retry: {value}\ndata: a\n\n".encode()
        assert decode(body)[0][0].retry is None, value


def test_retry_applies_to_its_own_block_only() -> None:
    assert [event.retry for event in decode(b"retry: 1\ndata: a\n\ndata: b\n\n")[0]] == [1, None]


def test_unknown_fields_are_ignored() -> None:
    assert decode(b"foo: bar\ndata: a\nDATA: b\nData: c\n\n")[0] == [SSEEvent(None, "a")]


def test_line_without_colon_is_a_field_with_empty_value() -> None:
    assert datas(b"data\n\n") == [""]
    assert decode(b"event\ndata: x\n\n")[0][0].event is None


def test_only_one_leading_space_is_removed_from_the_value() -> None:
    assert datas(b"data:  two spaces\n\ndata:none\n\ndata:\tTab\n\n") == [
        " two spaces",
        "none",
        "\tTab",
    ]


def test_only_the_first_colon_separates_field_and_value() -> None:
    assert datas(b'data: {"a": "b:c"}\n\n') == ['{"a": "b:c"}']


# --- comments and dispatch ----------------------------------------------------------------------


def test_comment_lines_are_ignored_and_counted() -> None:
    events, decoder = decode(b": keep-alive\n:\n: OPENROUTER PROCESSING\ndata: a\n\n")
    assert (events, decoder.comments) == ([SSEEvent(None, "a")], 3)


def test_blank_line_dispatches_the_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n") == []
    assert decoder.feed(b"\n") == [SSEEvent(None, "a")]


def test_block_without_data_is_not_dispatched() -> None:
    events, _ = decode(b"event: ping\n\nid: 1\n\nretry: 5\n\n")
    assert events == []


def test_event_name_of_an_undispatched_block_is_reset() -> None:
    assert decode(b"event: lost\n\ndata: a\n\n")[0][0].event is None


def test_repeated_blank_lines_dispatch_nothing_more() -> None:
    assert datas(b"\n\n\ndata: a\n\n\n\n") == ["a"]


# --- line endings ---------------------------------------------------------------------------


def test_lf_line_endings() -> None:
    events, decoder = decode(b"data: a\n\n")
    assert (datas(b"data: a\n\n"), decoder.line_endings) == (["a"], "lf")
    assert events


def test_crlf_line_endings() -> None:
    events, decoder = decode(b"data: a\r\ndata: b\r\n\r\n")
    assert ([event.data for event in events], decoder.line_endings) == (["a\nb"], "crlf")


def test_lone_cr_line_endings() -> None:
    events, decoder = decode(b"data: a\rdata: b\r\r")
    assert ([event.data for event in events], decoder.line_endings) == (["a\nb"], "cr")


def test_mixed_line_endings_are_reported() -> None:
    events, decoder = decode(b"data: a\r\ndata: b\n\r")
    assert ([event.data for event in events], decoder.line_endings) == (["a\nb"], "mixed")


def test_cr_ending_a_chunk_then_lf_is_one_line_ending() -> None:
    events, decoder = decode(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n")
    assert ([event.data for event in events], decoder.line_endings) == (["a\nb"], "crlf")


def test_cr_ending_a_chunk_then_cr_is_two_line_endings() -> None:
    events, decoder = decode(b"data: a\r", b"\r")
    assert ([event.data for event in events], decoder.line_endings) == (["a"], "cr")


def test_cr_ending_a_chunk_dispatches_without_waiting() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r\r") == [SSEEvent(None, "a")]


def test_no_line_ending_at_all_is_reported_as_none() -> None:
    assert decode(b"data: a")[1].line_endings == "none"


def test_other_unicode_line_breaks_do_not_end_lines() -> None:
    body = "data: a\u2028b\x85c\x0bd\x0ce\x1cf\n\n".encode()
    assert datas(body) == ["a\u2028b\x85c\x0bd\x0ce\x1cf"]


# --- bytes and decoding -----------------------------------------------------------------------


def test_leading_bom_is_stripped() -> None:
    assert datas(b"\xef\xbb\xbfdata: a\n\n") == ["a"]


def test_leading_bom_split_across_chunks_is_stripped() -> None:
    assert datas(b"\xef", b"\xbb", b"\xbfdata: a\n\n") == ["a"]


def test_only_one_bom_is_stripped() -> None:
    # The second BOM becomes part of the field name "\ufeffdata", an unknown field.
    assert datas(b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n") == ["b"]


def test_bom_later_in_the_stream_is_data() -> None:
    assert datas("data: \ufeffx\n\n".encode()) == ["\ufeffx"]


def test_multibyte_character_split_across_chunks() -> None:
    body = "data: héllo 日本 🙂\n\n".encode()
    assert datas(*[body[i : i + 1] for i in range(len(body))]) == ["héllo 日本 🙂"]


def test_invalid_utf8_becomes_replacement_character() -> None:
    assert datas(b"data: a\xffb\n\n") == ["a\ufffdb"]


def test_incomplete_utf8_at_end_of_stream_becomes_replacement_character() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\xe6\x97")
    end = decoder.close()
    assert end.partial_line == "data: a\ufffd"


# --- end of stream -----------------------------------------------------------------------------


def test_complete_stream_is_not_truncated() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n: bye\n")
    end = decoder.close()
    assert (end.truncated, end.discarded, end.partial_line) == (False, None, "")


def test_final_event_without_blank_line_is_discarded_but_reported() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\nevent: last\ndata: b\n") == [SSEEvent(None, "a")]
    end = decoder.close()
    assert (end.truncated, end.discarded) == (True, SSEEvent("last", "b"))


def test_unterminated_last_line_is_discarded_but_reported() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\ndata: b") == []
    end = decoder.close()
    assert (end.truncated, end.discarded, end.partial_line) == (
        True,
        SSEEvent(None, "a\nb"),
        "data: b",
    )


def test_block_without_data_at_end_is_truncated_without_an_event() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\nevent: next\n")
    end = decoder.close()
    assert (end.truncated, end.discarded) == (True, None)


def test_cut_inside_a_comment_is_truncated_but_not_counted() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n: keep-al")
    end = decoder.close()
    assert (end.truncated, end.discarded, decoder.comments) == (True, None, 0)


def test_empty_stream() -> None:
    decoder = SSEDecoder()
    end = decoder.close()
    assert (end.truncated, decoder.line_endings, decoder.comments) == (False, "none", 0)
