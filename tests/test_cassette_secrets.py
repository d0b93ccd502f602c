"""No committed cassette holds a key, an org or project id, a request id, a cookie or an unlisted header.

Recording already scrubs (``provider_quirks.scrub``); this scan is the second lock, and it also
covers cassettes written by hand (``quirks reconstruct``) or edited afterwards.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from provider_quirks.cassette import load_cassette
from provider_quirks.scrub import (
    QUERY_PARAMETERS_DROPPED,
    find_secrets,
    is_kept_request_header,
    is_kept_response_header,
)

ROOT = Path(__file__).resolve().parents[1]
CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))
#: Headers that carry credentials or identify an account or a call; never allowed, whatever the allow-list says.
FORBIDDEN_HEADERS = frozenset(
    {
        "authorization",
        "api-key",
        "x-api-key",
        "x-goog-api-key",
        "cookie",
        "set-cookie",
        "openai-organization",
        "openai-project",
        "request-id",
        "x-request-id",
    }
)


def problems(path: Path) -> list[str]:
    """Every reason ``path`` must not be committed, one line each."""
    found = [f"{path.name}: looks like a secret ({name})" for name in find_secrets(path.read_text(encoding="utf-8"))]
    for index, interaction in enumerate(load_cassette(path).interactions):
        sides = (
            ("request", interaction.request_headers, is_kept_request_header),
            ("response", interaction.response_headers, is_kept_response_header),
        )
        for side, headers, allowed in sides:
            for name in headers:
                if name.lower() in FORBIDDEN_HEADERS or not allowed(name):
                    found.append(f"{path.name}: interaction {index}: {side} header {name!r} is not on the allow-list")
        for parameter, _ in parse_qsl(urlsplit(interaction.uri).query):
            if parameter in QUERY_PARAMETERS_DROPPED:
                found.append(f"{path.name}: interaction {index}: query parameter {parameter!r} carries a key")
    return found


def test_there_are_cassettes_to_scan():
    assert CASSETTES


@pytest.mark.parametrize("path", CASSETTES, ids=[p.relative_to(ROOT / "cassettes").as_posix() for p in CASSETTES])
def test_committed_cassette_holds_no_secret(path):
    assert problems(path) == []


CLEAN: dict[str, Any] = {
    "interactions": [
        {
            "request": {
                "method": "POST",
                "uri": "https://api.openai.com/v1/chat/completions",
                "body": {"json": {"model": "gpt-4o-mini"}},
                "headers": {"content-type": ["application/json"]},
            },
            "response": {
                "status": {"code": 400, "message": "Bad Request"},
                "headers": {"content-type": ["application/json"]},
                "body": {"json": {"error": {"message": "Unrecognized request argument supplied"}}},
            },
        }
    ],
    "version": 1,
}

#: Where a secret is planted (a path into the interaction, the value) and what the scan must say.
PLANTED = {
    "openai-key-echoed": (("response", "body", "json", "error", "message"), "Incorrect key sk-proj-abc123DEF4", "key"),
    "google-key": (("request", "body", "json", "user"), "AIzaSyA1234567890abcdefghijklmnopqrs", "Google"),
    "org-id": (("response", "body", "json", "organization"), "org-AbCdEfGhIjKlMnOp", "organization"),
    "request-id": (("response", "body", "json", "request"), "req_011CSuZ6aWxRr4Fv9Q", "request id"),
    "auth-header": (("request", "headers", "Authorization"), ["Bearer abc"], "'Authorization'"),
    "cookie": (("response", "headers", "set-cookie"), ["a=b"], "'set-cookie'"),
    "unlisted-header": (("response", "headers", "openai-processing-ms"), ["5"], "not on the allow-list"),
    "organization-header": (("response", "headers", "openai-organization"), ["acme"], "'openai-organization'"),
    "near-rate-limit-header": (("response", "headers", "x-ratelimit"), ["5"], "not on the allow-list"),
    "query-key": (("request", "uri"), "https://example.invalid/v1beta/models/m:generateContent?key=abc", "'key'"),
}


@pytest.mark.parametrize(("where", "value", "reported"), PLANTED.values(), ids=PLANTED.keys())
def test_the_scan_finds_a_planted_secret(tmp_path, where, value, reported):
    clean = tmp_path / "clean.yaml"
    clean.write_text(yaml.safe_dump(CLEAN))
    assert problems(clean) == []
    data = copy.deepcopy(CLEAN)
    node = data["interactions"][0]
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    dirty = tmp_path / "dirty.yaml"
    dirty.write_text(yaml.safe_dump(data))
    found = problems(dirty)
    assert any(reported in line for line in found), found
