"""Real OpenAI Responses API answers, recorded by another project, read through `quirks inspect`.

The bodies are quoted in ``tests/responses/`` and ``tests/streaming/streams/`` (sources in
``tests/responses/SOURCES.md``): a function call, a message, and a streamed forced call with
sequence numbers, output indexes and a reasoning item, as OpenAI sends them.
"""

from __future__ import annotations

from pathlib import Path

from test_inspect import inspect, plain_vcrpy_cassette

from provider_quirks.dialects import OPENAI_RESPONSES
from provider_quirks.streaming.readers import read_stream

HERE = Path(__file__).parent
URI = "https://api.openai.com/v1/responses"
STREAM = HERE / "streaming" / "streams" / "openai-responses--function-call.sse"


def test_a_function_call_answer(tmp_path, capsys):
    body = (HERE / "responses" / "openai-function-call.json").read_text()
    [view] = inspect(plain_vcrpy_cassette(tmp_path, URI, body, "application/json"), capsys)
    assert view["provider"] == "openai_responses"
    assert (view["outcome"], view["status"], view["finish_reason"]) == ("accepted", 200, "completed")
    assert view["tool_calls"] == [{"name": "get_capital", "arguments": {"country": "PotatoLand"}}]
    assert view["usage"] == {"input_tokens": 40, "output_tokens": 18}
    assert view["text"] == ""


def test_a_message_answer(tmp_path, capsys):
    body = (HERE / "responses" / "openai-message.json").read_text()
    [view] = inspect(plain_vcrpy_cassette(tmp_path, URI, body, "application/json"), capsys)
    assert view["text"] == "The capital of PotatoLand is Potato City."
    assert (view["finish_reason"], view["tool_calls"]) == ("completed", [])


def test_a_streamed_forced_call(tmp_path, capsys):
    [view] = inspect(plain_vcrpy_cassette(tmp_path, URI, STREAM.read_text(), "text/event-stream"), capsys)
    assert view["provider"] == "openai_responses"
    assert view["tool_calls"] == [{"name": "final_result", "arguments": {"result": 6666}}]
    assert view["finish_reason"] == "completed"
    assert view["usage"]["input_tokens"] and view["usage"]["output_tokens"]
    stream = view["stream"]
    assert stream["usage_location"] == "completed-event" and stream["done_sentinel"] is False
    assert stream["event_names"][0] == "response.created" and stream["event_names"][-1] == "response.completed"


def test_openai_keeps_the_event_order_and_a_broken_order_is_named():
    body = STREAM.read_bytes()
    assert read_stream(OPENAI_RESPONSES, body, "text/event-stream").stream.order_problems == ()
    blocks = body.decode().split("\n\n")
    reversed_numbers = "\n\n".join([blocks[1], blocks[0], *blocks[2:]]).encode()  # in_progress before created
    problems = read_stream(OPENAI_RESPONSES, reversed_numbers, "text/event-stream").stream.order_problems
    assert problems and problems[0] == "the first event is response.in_progress, not response.created"
    assert any("sequence_number 0 of response.created does not follow 1" in p for p in problems)
    no_end = "\n\n".join(blocks[:-2]).encode()  # cut before response.completed
    assert (
        "0 terminal events (response.completed, .incomplete or .failed), not 1"
        in read_stream(OPENAI_RESPONSES, no_end, "text/event-stream").stream.order_problems
    )
