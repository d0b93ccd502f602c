"""The hosted OpenAI-compatible providers of issue 15, read from their public answers.

Each case feeds a body quoted from a public source (its URL beside it) through the path every
recording takes: ``quirks inspect`` names the provider from the host, and the observation states
the outcome, the status and the error as the provider wrote it. The recorded streams and answers
in ``tests/new_providers/`` are GoModel's contract fixtures, recorded from the providers' APIs
(https://github.com/ENTERPILOT/GoModel/tree/14ba385fd34a1f7a7ea9e52f94f129e967ea5a9a/tests/contract/testdata).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_inspect import KEYS, inspect, plain_vcrpy_cassette

from provider_quirks.observe import observe
from provider_quirks.providers import PROVIDERS, detect_provider

BODIES = Path(__file__).parent / "new_providers"

CHAT_URIS = {
    "deepseek": "https://api.deepseek.com/v1/chat/completions",
    "groq": "https://api.groq.com/openai/v1/chat/completions",
    "openrouter": "https://openrouter.ai/api/v1/chat/completions",
    "xai": "https://api.x.ai/v1/chat/completions",
    "cerebras": "https://api.cerebras.ai/v1/chat/completions",
}

OPENROUTER_UPSTREAM_RAW = (
    '{"error":{"type":"invalid_request_error","code":"invalid_request_error","message":"Model '
    '\'moonshotai/kimi-k2.6\' supports at most 1 image per prompt.","request_id":"req_*******"}}'
)

# (provider, status, body exactly as quoted, expected error {type, message, param, code, upstream})
ERRORS: list[tuple[str, int, str, dict[str, Any]]] = [
    (  # https://github.com/deepwn/addi/issues/13 (2026-03-30): an unknown model
        "deepseek",
        400,
        '{"error":{"message":"Model Not Exist","type":"invalid_request_error","param":null,'
        '"code":"invalid_request_error"}}',
        {"type": "invalid_request_error", "message": "Model Not Exist", "code": "invalid_request_error"},
    ),
    (  # https://github.com/carlrobertoh/ProxyAI/issues/907 (2025-03-02): before 2026, a plain-text 422
        "deepseek",
        422,
        "Failed to deserialize the JSON body into the target type: missing field `messages` at line 4 column 1",
        {
            "type": None,
            "message": "Failed to deserialize the JSON body into the target type: missing field `messages` "
            "at line 4 column 1",
            "code": None,
        },
    ),
    (  # https://github.com/valentinfrlch/ha-llmvision/issues/332 (2025-05-07): a retired model
        "groq",
        400,
        '{"error":{"message":"The model `llama-3.2-11b-vision-preview` has been decommissioned and is no longer '
        "supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which "
        'model to use instead.","type":"invalid_request_error","code":"model_decommissioned"}}',
        {
            "type": "invalid_request_error",
            "message": "The model `llama-3.2-11b-vision-preview` has been decommissioned and is no longer "
            "supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which "
            "model to use instead.",
            "code": "model_decommissioned",
        },
    ),
    (  # https://github.com/chatboxai/chatbox/issues/2081 (2025-02-28): validation errors carry no code
        "groq",
        400,
        "{\"error\":{\"message\":\"'messages.0' : for 'role:system' the following must be satisfied[('messages.0' : "
        'property \'id\' is unsupported, did you mean \'name\'?)]","type":"invalid_request_error"}}',
        {
            "type": "invalid_request_error",
            "message": "'messages.0' : for 'role:system' the following must be satisfied[('messages.0' : "
            "property 'id' is unsupported, did you mean 'name'?)]",
            "code": None,
        },
    ),
    (  # https://github.com/sipeed/picoclaw/issues/1790 (2026-03-19): OpenRouter's own refusal
        "openrouter",
        400,
        '{"error":{"message":"minimax-m2.5:free is not a valid model ID","code":400},'
        '"user_id":"user_39yvGR6gBlXf8o3DGgqb1NeHs5u"}',
        {"type": None, "message": "minimax-m2.5:free is not a valid model ID", "code": "400", "upstream": None},
    ),
    (  # https://github.com/diegosouzapw/OmniRoute/issues/3044 (2026-06-01): an upstream's refusal, relayed
        "openrouter",
        400,
        json.dumps(
            {
                "error": {
                    "message": "Provider returned error",
                    "code": 400,
                    "metadata": {"raw": OPENROUTER_UPSTREAM_RAW, "provider_name": "Crucible", "is_byok": False},
                },
                "user_id": "user_***************",
            }
        ),
        {"type": None, "message": "Provider returned error", "code": "400", "upstream": OPENROUTER_UPSTREAM_RAW},
    ),
    (  # https://github.com/chatboxai/chatbox/issues/1622 (2024-11-17): xAI's flat envelope
        "xai",
        400,
        '{"code":"Client specified an invalid argument","error":"The model expects a single `text` element per '
        'message."}',
        {
            "type": None,
            "message": "The model expects a single `text` element per message.",
            "code": "Client specified an invalid argument",
        },
    ),
    (  # https://github.com/chenyme/grok2api/issues/814 (2026-07-28): the code became the gRPC slug
        "xai",
        400,
        '{"code":"invalid-argument","error":"Model grok-4.20-0309-reasoning does not support parameter '
        'reasoningEffort."}',
        {
            "type": None,
            "message": "Model grok-4.20-0309-reasoning does not support parameter reasoningEffort.",
            "code": "invalid-argument",
        },
    ),
    (  # https://github.com/Kilo-Org/kilocode/issues/10375 (2026-05-18): Cerebras's flat envelope
        "cerebras",
        400,
        '{"message":"messages.2.assistant.reasoning_content: property \'messages.2.assistant.reasoning_content\' '
        'is unsupported","type":"invalid_request_error","param":"validation_error","code":"wrong_api_format"}',
        {
            "type": "invalid_request_error",
            "message": "messages.2.assistant.reasoning_content: property 'messages.2.assistant.reasoning_content' "
            "is unsupported",
            "param": "validation_error",
            "code": "wrong_api_format",
        },
    ),
]


def _cassette(tmp_path: Path, uri: str, body: str, content_type: str, status: int) -> Path:
    path = plain_vcrpy_cassette(tmp_path, uri, body, content_type)
    data = yaml.safe_load(path.read_text())
    data["interactions"][0]["response"]["status"] = {"code": status, "message": ""}
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("name", CHAT_URIS)
def test_each_new_provider_is_named_by_its_host(name):
    assert detect_provider(CHAT_URIS[name], PROVIDERS) is PROVIDERS[name]
    assert PROVIDERS[name].canonical_base_url.startswith("https://")


@pytest.mark.parametrize(("provider", "status", "body", "error"), ERRORS)
def test_quoted_error_reads_as_the_provider_wrote_it(tmp_path, capsys, provider, status, body, error):
    [view] = inspect(_cassette(tmp_path, CHAT_URIS[provider], body, "application/json", status), capsys)
    assert list(view) == KEYS
    assert view["provider"] == provider
    assert view["status"] == status
    assert view["outcome"] == "rejected"
    assert view["error"]["message"] == error["message"]
    assert view["error"]["type"] == error["type"]
    observed = observe(PROVIDERS[provider], status, {}, body.encode(), CHAT_URIS[provider]).to_json()["error"]
    assert {key: observed[key] for key in error} == error


def test_openrouter_keeps_the_upstream_body_whole():
    """The relayed body is the upstream's own envelope, kept as text: its message can be asserted."""
    _, status, body, _ = ERRORS[5]
    error = observe(PROVIDERS["openrouter"], status, {}, body.encode(), CHAT_URIS["openrouter"]).to_json()["error"]
    assert json.loads(error["upstream"])["error"]["message"] == (
        "Model 'moonshotai/kimi-k2.6' supports at most 1 image per prompt."
    )


@pytest.mark.parametrize("provider", ["groq", "xai"])
def test_recorded_answer(tmp_path, capsys, provider):
    body = (BODIES / f"{provider}--chat.json").read_text()
    [view] = inspect(_cassette(tmp_path, CHAT_URIS[provider], body, "application/json", 200), capsys)
    recorded = json.loads(body)
    assert view["provider"] == provider
    assert view["outcome"] == "accepted"
    assert view["error"] is None
    assert view["text"] == recorded["choices"][0]["message"]["content"]
    assert view["finish_reason"] == "stop"
    assert view["usage"] == {
        "input_tokens": recorded["usage"]["prompt_tokens"],
        "output_tokens": recorded["usage"]["completion_tokens"],
    }


def test_xai_reasoning_is_read_apart_from_the_text():
    """grok-3-mini answers with reasoning_content beside content (GoModel's recording)."""
    body = (BODIES / "xai--chat.json").read_bytes()
    observed = observe(PROVIDERS["xai"], 200, {}, body, CHAT_URIS["xai"]).to_json()
    assert observed["reasoning"] == json.loads(body)["choices"][0]["message"]["reasoning_content"]


# (provider, text, usage location, reasoning streamed)
STREAMS = [
    ("groq", "Hello World!", "finish-chunk", False),
    ("xai", "Hello World! 😊", "absent", True),
]


@pytest.mark.parametrize(("provider", "text", "usage_location", "reasoning"), STREAMS)
def test_recorded_stream(tmp_path, capsys, provider, text, usage_location, reasoning):
    """The fixtures end ``data: [DONE]`` with one newline, not the blank line that ends an SSE event, so
    the sentinel is not dispatched and the body reads as cut short: what the server sent after it is
    not in the file, and the test does not add it."""
    body = (BODIES / f"{provider}--chat-stream.sse").read_text()
    [view] = inspect(_cassette(tmp_path, CHAT_URIS[provider], body, "text/event-stream", 200), capsys)
    assert view["provider"] == provider
    assert view["outcome"] == "accepted"
    assert view["text"].startswith(text)
    assert view["finish_reason"] == "stop"
    assert view["stream"]["usage_location"] == usage_location
    assert view["stream"]["events"] == body.count("data: {")
    observed = observe(PROVIDERS[provider], 200, {"content-type": "text/event-stream"}, body.encode(), "").to_json()
    assert bool(observed["reasoning"]) is reasoning
