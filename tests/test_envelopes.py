"""Each provider's error envelope is read into the same (type, message, param)."""

import json

import pytest

from provider_quirks.envelopes import read_error
from provider_quirks.providers import PROVIDERS

# Bodies as quoted in public issues (see quirks/*.yaml sources); one per envelope shape.
CASES = [
    (
        "openai",
        {
            "error": {
                "message": "max_tokens is too large: 20480.",
                "type": "invalid_request_error",
                "param": "max_tokens",
                "code": "invalid_value",
            }
        },
        ("invalid_request_error", "max_tokens is too large: 20480.", "max_tokens"),
    ),
    (
        "mistral",  # 2024: pydantic detail nested in message
        {
            "object": "error",
            "message": {
                "detail": [
                    {
                        "type": "extra_forbidden",
                        "loc": ["body", "n"],
                        "msg": "Extra inputs are not permitted",
                        "input": 1,
                    }
                ]
            },
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        },
        ("extra_forbidden", "Extra inputs are not permitted", "body.n"),
    ),
    (
        "mistral",  # 2026: detail at the top level
        {
            "detail": [
                {
                    "type": "extra_forbidden",
                    "loc": ["body", "store"],
                    "msg": "Extra inputs are not permitted",
                    "input": False,
                }
            ]
        },
        ("extra_forbidden", "Extra inputs are not permitted", "body.store"),
    ),
    (
        "mistral",  # detail as JSON text inside message
        {
            "object": "error",
            "message": json.dumps(
                {
                    "detail": [
                        {
                            "type": "greater_than_equal",
                            "loc": ["body", "max_tokens"],
                            "msg": "Input should be greater than or equal to 0",
                        }
                    ]
                }
            ),
            "type": "internal_error_proxy",
            "param": None,
            "code": "1000",
        },
        ("greater_than_equal", "Input should be greater than or equal to 0", "body.max_tokens"),
    ),
    (
        "mistral",  # semantic errors: object error with a numeric code
        {
            "object": "error",
            "message": "Tool call id was turn1_0 but must be a-z, A-Z, 0-9, with a length of 9.",
            "type": "invalid_function_call",
            "param": None,
            "code": "3280",
        },
        ("invalid_function_call", "Tool call id was turn1_0 but must be a-z, A-Z, 0-9, with a length of 9.", None),
    ),
    (
        "anthropic",
        {"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"}},
        ("invalid_request_error", "max_tokens: Field required", "max_tokens"),
    ),
    (
        "gemini",
        {
            "error": {
                "code": 400,
                "message": "Invalid JSON payload received.",
                "status": "INVALID_ARGUMENT",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [{"field": "contents[0].parts", "description": "Unknown name"}],
                    }
                ],
            }
        },
        ("INVALID_ARGUMENT", "Invalid JSON payload received.", "contents[0].parts"),
    ),
    (
        "gemini",  # the OpenAI-compatibility layer wraps it in a list
        [{"error": {"code": 400, "message": "Value is not a string: null", "status": "INVALID_ARGUMENT"}}],
        ("INVALID_ARGUMENT", "Value is not a string: null", None),
    ),
    (
        "openai_compatible",  # llama.cpp
        {"error": {"code": 400, "message": "'messages' is required", "type": "invalid_request_error"}},
        ("invalid_request_error", "'messages' is required", None),
    ),
    (
        "openai_compatible",  # vLLM before 0.10.1
        {
            "object": "error",
            "message": "This model's maximum context length is 6048 tokens.",
            "type": "BadRequestError",
            "param": None,
            "code": 400,
        },
        ("BadRequestError", "This model's maximum context length is 6048 tokens.", None),
    ),
    (
        "openai_compatible",  # FastAPI default (llama-cpp-python)
        {"detail": "Not Found"},
        (None, "Not Found", None),
    ),
]


@pytest.mark.parametrize(("provider", "body", "expected"), CASES)
def test_envelope_is_read(provider, body, expected):
    error = read_error(json.dumps(body).encode(), PROVIDERS[provider].envelopes)
    assert (error.type, error.message, error.param) == expected


def test_openai_code_is_kept_apart_from_type():
    body = {"error": {"message": "x", "type": "invalid_request_error", "param": "max_tokens", "code": "invalid_value"}}
    assert read_error(json.dumps(body).encode(), PROVIDERS["openai"].envelopes).code == "invalid_value"


@pytest.mark.parametrize("body", [b"Internal Server Error", b"", b"<html>502</html>"])
def test_non_json_error_body_keeps_its_text(body):
    error = read_error(body, PROVIDERS["openai"].envelopes)
    assert error.type is None
    assert error.message == (body.decode() or None)
