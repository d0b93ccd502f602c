"""Per-dialect stream readers on the corpus: each stream read to an exact, complete Reading."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from provider_quirks.dialects import ANTHROPIC_MESSAGES, GEMINI_GENERATE, OPENAI_CHAT
from provider_quirks.observation import (
    ErrorInfo,
    Reading,
    StreamFacts,
    ToolCall,
    Usage,
    UsageLocation,
)
from provider_quirks.streaming import StreamReader, read_stream, read_stream_chunks

ANTHROPIC_TEXT_EVENTS = (
    "message_start",
    "content_block_start",
    "ping",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
)
ANTHROPIC_TOOL_EVENTS = (
    "message_start",
    *("content_block_start", "content_block_delta", "content_block_delta"),
    *("content_block_delta", "content_block_stop"),
    *("content_block_start", "content_block_delta", "content_block_stop"),
    "content_block_start",
    *("content_block_delta",) * 4,
    "content_block_stop",
    *("content_block_start", "content_block_delta", "content_block_stop"),
    *("future_event", "message_delta", "message_stop"),
)


def facts(events: int, usage_location: UsageLocation, **changes: Any) -> StreamFacts:
    """The usual facts of a complete stream: ``[DONE]``, LF, no event names, no comments."""
    return replace(StreamFacts(events, True, usage_location, "lf", (), 0), **changes)


EXPECTED = {
    "openai-chat--include-usage.sse": Reading(
        text="The capital of France is Paris.",
        finish_reason="stop",
        usage=Usage(14, 8),
        choices=1,
        model="gpt-4o-2024-08-06",
        stream=facts(11, "final-chunk"),
    ),
    "openai-chat--azure-prompt-filter.sse": Reading(
        text="Bonjour! Comment ça va ?",
        finish_reason="stop",
        choices=1,
        model="gpt-4o-2024-08-06",
        stream=facts(10, "absent"),
    ),
    "openai-chat--mistral-finish-usage.sse": Reading(
        text="2 + 2 = **4**.",
        reasoning="Okay, the user  asks for 2+2.",
        finish_reason="stop",
        usage=Usage(10, 232),
        choices=1,
        model="magistral-medium-latest",
        stream=facts(8, "finish-chunk"),
    ),
    "openai-chat--tool-call-deltas.sse": Reading(
        tool_calls=(
            ToolCall("get_weather", {"city": "Paris", "unit": "celsius"}),
            ToolCall("get_time", {"tz": "Europe/Paris"}),
        ),
        finish_reason="tool_calls",
        usage=Usage(81, 52),
        choices=1,
        model="gpt-4o-2024-08-06",
        stream=facts(11, "final-chunk"),
    ),
    "openai-chat--keep-alive.sse": Reading(
        text="9.9 is larger.",
        reasoning="Weighing 9.11 vs 9.9: 0.9 > 0.11.",
        finish_reason="stop",
        usage=Usage(18, 61),
        choices=1,
        model="deepseek-reasoner",
        stream=facts(9, "finish-chunk", comments=3),
    ),
    "openai-chat--vllm-continuous-usage.sse": Reading(
        text="Hi! 👋 How can I help you today?",
        finish_reason="stop",
        usage=Usage(26, 10),
        choices=1,
        model="Qwen/Qwen2.5-0.5B-Instruct",
        stream=facts(14, "every-chunk"),
    ),
    "openai-chat--openrouter-error.sse": Reading(
        text="Once upon",
        reasoning="Let me think.",
        finish_reason="error",
        choices=1,
        error=ErrorInfo(None, "Provider returned error", None, code="502"),
        model="deepseek/deepseek-r1",
        stream=facts(5, "absent", comments=3),
    ),
    "openai-responses--function-call.sse": Reading(
        tool_calls=(ToolCall("final_result", {"result": 6666}),),
        finish_reason="completed",
        usage=Usage(53, 469),
        choices=1,
        model="gpt-5-2025-08-07",
        stream=facts(
            14,
            "completed-event",
            done_sentinel=False,
            event_names=(
                *("response.created", "response.in_progress", "response.output_item.added"),
                *("response.output_item.done", "response.output_item.added"),
                *("response.function_call_arguments.delta",) * 6,
                *("response.function_call_arguments.done", "response.output_item.done", "response.completed"),
            ),
            order_problems=(),
        ),
    ),
    "anthropic-messages--text-ping.sse": Reading(
        text="Hello! How can I help you today?",
        finish_reason="end_turn",
        usage=Usage(10, 12),
        choices=1,
        model="claude-haiku-4-5-20251001",
        stream=facts(8, "message-events", done_sentinel=False, event_names=ANTHROPIC_TEXT_EVENTS),
    ),
    "anthropic-messages--overloaded-error.sse": Reading(
        text="Once upon a",
        usage=Usage(10, 2),
        choices=1,
        error=ErrorInfo("overloaded_error", "Overloaded", None),
        model="claude-sonnet-4-5-20250929",
        stream=facts(
            5,
            "message-events",
            done_sentinel=False,
            event_names=(
                *("message_start", "content_block_start", "content_block_delta"),
                *("ping", "error"),
            ),
        ),
    ),
    "anthropic-messages--thinking-tool-use.sse": Reading(
        text="Let me check.",
        reasoning="The user wants the weather.\nI should call get_weather.",
        tool_calls=(
            ToolCall("get_weather", {"location": "San Francisco, CA", "unit": "fahrenheit"}),
            ToolCall("get_time", {}),
        ),
        finish_reason="tool_use",
        usage=Usage(412, 89),
        choices=1,
        model="claude-sonnet-4-5-20250929",
        stream=facts(21, "message-events", done_sentinel=False, event_names=ANTHROPIC_TOOL_EVENTS),
    ),
    "gemini-generate--alt-sse.sse": Reading(
        text="The capital of France is Paris.\n",
        finish_reason="STOP",
        usage=Usage(13, 8),
        choices=1,
        model="gemini-2.0-flash-exp",
        stream=facts(3, "every-chunk", done_sentinel=False, line_endings="crlf"),
    ),
    "gemini-generate--json-array.json": Reading(
        text='Checking "Zürich" now… ',
        reasoning="**Planning** the lookup: need weather for Zürich.",
        tool_calls=(ToolCall("get_weather", {"city": "Zürich", "units": ["c", "f"]}),),
        finish_reason="STOP",
        usage=Usage(54, 19),
        choices=1,
        model="gemini-2.5-flash",
        stream=facts(3, "final-chunk", done_sentinel=False, line_endings="mixed"),
    ),
}


def test_every_corpus_stream_has_an_expectation(corpus) -> None:
    assert sorted(corpus) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_stream_reads_exactly(name, corpus) -> None:
    case = corpus[name]
    assert read_stream(case.dialect, case.body, case.content_type) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_stream_framing_is_sniffed_without_content_type(name, corpus) -> None:
    case = corpus[name]
    assert read_stream(case.dialect, case.body, None) == EXPECTED[name]


# --- truncation ----------------------------------------------------------------------------------


def test_openai_stream_cut_mid_event_keeps_what_was_read(corpus) -> None:
    body = corpus["openai-chat--include-usage.sse"].body
    cut = body.index(b"Paris") + 3
    reading = read_stream(OPENAI_CHAT, body[:cut], "text/event-stream")
    assert (reading.text, reading.finish_reason) == ("The capital of France is", None)
    assert reading.stream is not None and reading.stream.truncated


def test_openai_stream_with_finish_but_without_done_is_complete(corpus) -> None:
    body = corpus["openai-chat--azure-prompt-filter.sse"].body
    reading = read_stream(OPENAI_CHAT, body[: body.index(b"data: [DONE]")], "text/event-stream")
    assert reading.stream is not None
    assert (reading.stream.truncated, reading.stream.done_sentinel) == (False, False)


def test_anthropic_stream_without_message_stop_is_truncated(corpus) -> None:
    body = corpus["anthropic-messages--text-ping.sse"].body
    reading = read_stream(ANTHROPIC_MESSAGES, body[: body.index(b"event: message_stop")])
    assert reading.finish_reason == "end_turn"
    assert reading.stream is not None and reading.stream.truncated


def test_gemini_array_cut_before_closing_bracket_is_truncated(corpus) -> None:
    body = corpus["gemini-generate--json-array.json"].body
    reading = read_stream(GEMINI_GENERATE, body[:-1], "application/json")
    assert reading.finish_reason == "STOP"
    assert reading.stream is not None and reading.stream.truncated


def test_empty_body_is_truncated_and_empty() -> None:
    reading = read_stream(OPENAI_CHAT, b"", "text/event-stream")
    assert reading.stream == StreamFacts(0, False, "absent", "none", (), 0, truncated=True)


# --- robustness and details ------------------------------------------------------------------


def sse(*datas: str) -> bytes:
    return "".join(f"data: {data}\n\n" for data in datas).encode()


def test_malformed_json_chunk_is_skipped_and_counted() -> None:
    reader = StreamReader(OPENAI_CHAT, "text/event-stream")
    reader.feed(sse('{"choices":[{"index":0,"delta":{"content":"a"}}]}', "{not json", "[DONE]"))
    reading = reader.finish()
    assert (reading.text, reader.malformed) == ("a", 1)
    assert reading.stream is not None and reading.stream.events == 3


def test_openai_error_chunk_becomes_the_reading_error() -> None:
    body = sse('{"error":{"message":"Rate limit","type":"requests","param":null,"code":"429"}}')
    reading = read_stream(OPENAI_CHAT, body, "text/event-stream")
    assert reading.error == ErrorInfo("requests", "Rate limit", None, code="429")
    assert reading.stream is not None and not reading.stream.truncated


def test_openai_two_choices_are_counted_and_the_first_is_read() -> None:
    chunks = [
        '{"choices":[{"index":0,"delta":{"content":"A"},"finish_reason":null}]}',
        '{"choices":[{"index":1,"delta":{"content":"B"},"finish_reason":null}]}',
        '{"choices":[{"index":1,"delta":{},"finish_reason":"length"}]}',
        '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
    ]
    reading = read_stream(OPENAI_CHAT, sse(*chunks), "text/event-stream")
    assert (reading.text, reading.finish_reason, reading.choices) == ("A", "stop", 2)
    assert reading.stream is not None and not reading.stream.truncated


def test_openai_usage_null_is_not_usage() -> None:
    body = sse('{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}],"usage":null}')
    reading = read_stream(OPENAI_CHAT, body, "text/event-stream")
    assert reading.usage is None
    assert reading.stream is not None and reading.stream.usage_location == "absent"


def test_openai_tool_call_fragments_without_index_follow_their_id() -> None:
    call = '{"choices":[{"index":0,"delta":{"tool_calls":[%s]}}]}'
    chunks = [
        call % '{"id":"a","function":{"name":"f","arguments":"{\\"x\\""}}',
        call % '{"function":{"arguments":": 1}"}}',
        call % '{"id":"b","function":{"name":"g","arguments":"{}"}}',
    ]
    reading = read_stream(OPENAI_CHAT, sse(*chunks), "text/event-stream")
    assert reading.tool_calls == (ToolCall("f", {"x": 1}), ToolCall("g", {}))


def test_openai_unparsable_tool_arguments_are_kept_as_text() -> None:
    call = '{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":%s}]}}]}'
    body = sse(call % '{"name":"f","arguments":"{\\"x\\": "}')
    assert read_stream(OPENAI_CHAT, body, "text/event-stream").tool_calls == (ToolCall("f", '{"x": '),)


def test_gemini_error_element_in_the_array_becomes_the_error() -> None:
    body = b'[{"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]},\r\n{"error":{"code":503,'
    body += b'"message":"The model is overloaded.","status":"UNAVAILABLE"}}\r\n]'
    reading = read_stream(GEMINI_GENERATE, body, "application/json")
    assert (reading.text, reading.error) == (
        "Hi",
        ErrorInfo("UNAVAILABLE", "The model is overloaded.", None, code="503"),
    )


def test_gemini_blocked_prompt_is_a_complete_stream() -> None:
    body = sse('{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7}}')
    reading = read_stream(GEMINI_GENERATE, body, "text/event-stream")
    assert (reading.finish_reason, reading.usage) == (None, Usage(7, None))
    assert reading.stream is not None and not reading.stream.truncated


def test_plain_json_error_body_on_a_stream_request() -> None:
    body = b'{"type":"error","error":{"type":"invalid_request_error",'
    body += b'"message":"max_tokens: Field required"}}'
    reading = read_stream(ANTHROPIC_MESSAGES, body, "application/json")
    assert reading.error == ErrorInfo("invalid_request_error", "max_tokens: Field required", param="max_tokens")
    assert reading.stream is not None and reading.stream.events == 1


def test_chunked_reading_equals_whole_reading(corpus) -> None:
    case = corpus["anthropic-messages--thinking-tool-use.sse"]
    chunks = [case.body[i : i + 7] for i in range(0, len(case.body), 7)]
    assert read_stream_chunks(case.dialect, chunks, case.content_type) == read_stream(
        case.dialect, case.body, case.content_type
    )


def test_object_error_record_in_a_stream_becomes_the_error() -> None:
    body = sse(
        '{"object":"error","message":"Internal server error","type":"InternalServerError","param":null,"code":500}'
    )
    reading = read_stream(OPENAI_CHAT, body, "text/event-stream")
    assert reading.error == ErrorInfo("InternalServerError", "Internal server error", None, "500")
