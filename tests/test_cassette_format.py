"""Cassettes round-trip byte for byte, and cassettes written by other tools can be read."""

import gzip
import json

import yaml
from hypothesis import given
from hypothesis import strategies as st

from provider_quirks.cassette import body_text, deserialize, load_cassette, readable_body, serialize

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(st.text())
def test_any_text_body_round_trips(text):
    assert body_text(readable_body(text)) == text


@given(json_values, st.sampled_from([(", ", ": "), (",", ":"), (",", ": ")]))
def test_json_bodies_round_trip_in_any_spacing(value, separators):
    text = json.dumps(value, separators=separators, ensure_ascii=False)
    assert body_text(readable_body(text)) == text


def test_sse_bodies_are_text_blocks_and_crlf_is_restored():
    stream = 'data: {"a": 1}\r\n\r\ndata: [DONE]\r\n\r\n'
    body = readable_body(stream)
    assert body == {"string": 'data: {"a": 1}\n\ndata: [DONE]\n\n', "crlf": True}
    assert body_text(body) == stream


def test_mixed_line_endings_are_kept_as_they_are():
    for text in ("data: a\r\n\ndata: b\n\n", "data: a\r\n\r\n\r", "a\r\nb\rc\r\n"):
        assert "crlf" not in readable_body(text)
        assert body_text(readable_body(text)) == text


@given(st.lists(st.tuples(json_values, st.text(), st.integers(100, 599)), min_size=1, max_size=3))
def test_cassette_serialization_round_trips(interactions):
    cassette = {
        "version": 1,
        "metadata": {"evidence": {"level": "reconstructed", "sources": [{"url": "https://example.org"}]}},
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": "https://x/v1",
                    "body": json.dumps(req, ensure_ascii=False),
                    "headers": {},
                },
                "response": {"status": {"code": status, "message": ""}, "headers": {}, "body": {"string": resp}},
            }
            for req, resp, status in interactions
        ],
    }
    assert deserialize(serialize(cassette)) == cassette


def test_foreign_cassettes_are_read(tmp_path):
    """Plain vcrpy (string bodies), gzip !!binary bodies, and pydantic-ai's parsed_body."""
    answer = {"choices": [{"message": {"content": "hi"}, "finish_reason": "stop"}]}
    plain = {
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": "https://api.openai.com/v1/chat/completions",
                    "body": "{}",
                    "headers": {},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"string": json.dumps(answer)},
                },
            },
            {
                "request": {
                    "method": "POST",
                    "uri": "https://api.openai.com/v1/chat/completions",
                    "body": None,
                    "headers": {},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Encoding": ["gzip"], "Content-Type": ["application/json"]},
                    "body": {"string": gzip.compress(json.dumps(answer).encode())},
                },
            },
            {
                "request": {
                    "method": "POST",
                    "uri": "https://api.mistral.ai/v1/chat/completions",
                    "parsed_body": {"n": 1},
                    "headers": {},
                },
                "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "parsed_body": answer},
            },
        ],
        "version": 1,
    }
    path = tmp_path / "foreign.yaml"
    path.write_text(yaml.safe_dump(plain))
    assert "!!binary" in path.read_text()
    cassette = load_cassette(path)
    assert [json.loads(i.response_body) for i in cassette.interactions] == [answer] * 3
    assert json.loads(cassette.interactions[2].request_body or b"") == {"n": 1}
