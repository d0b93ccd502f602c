"""Requests that differ only by a version header are different questions and keep their own answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

from provider_quirks import cassette as cassette_format
from provider_quirks.recording import CASSETTE_OPTIONS, MATCHED_HEADERS, SERIALIZER, CellPersister, cell_vcr
from provider_quirks.scrub import REQUEST_HEADERS_KEPT

URI = "https://api.anthropic.com/v1/messages"
BODY = {"model": "claude-haiku-4-5-20251001", "max_tokens": 8, "messages": [{"role": "user", "content": "Say hi"}]}
#: anthropic-version value -> the message of the answer to that request (None: header not sent).
ANSWERS: dict[str | None, str] = {
    None: "anthropic-version: header is required",
    "2023-06-01, 2023-06-01": 'anthropic-version: "2023-06-01, 2023-06-01" is not a valid version',
    "2023-06-01": "ok",
}


def _headers(version: str | None) -> dict[str, str]:
    return {"content-type": "application/json", **({"anthropic-version": version} if version else {})}


def _answer(message: str) -> dict[str, Any]:
    body = json.dumps({"type": "error", "error": {"type": "invalid_request_error", "message": message}})
    return {
        "status": {"code": 400, "message": "Bad Request"},
        "headers": {"content-type": ["application/json"]},
        "body": {"string": body},
    }


def _interaction(version: str | None) -> dict[str, Any]:
    request = {
        "method": "POST",
        "uri": URI,
        "body": json.dumps(BODY),
        "headers": {name: [value] for name, value in _headers(version).items()},
    }
    return {"request": request, "response": _answer(ANSWERS[version])}


def _replay(path: Path, headers: dict[str, str]) -> str:
    recorder = cell_vcr(CellPersister(live=False), secrets=())
    with recorder.use_cassette(str(path), **CASSETTE_OPTIONS):
        response = requests.post(URI, data=json.dumps(BODY), headers=headers, timeout=5)
    return str(response.json()["error"]["message"])


def test_matched_headers_are_kept_in_cassettes() -> None:
    assert REQUEST_HEADERS_KEPT.issuperset(MATCHED_HEADERS)


def test_probes_differing_only_by_anthropic_version_replay_their_own_answers(tmp_path: Path) -> None:
    path = tmp_path / "cell.yaml"
    document = {"interactions": [_interaction(version) for version in ANSWERS], "version": 1}
    path.write_text(cassette_format.serialize(document), encoding="utf-8")
    for version, message in ANSWERS.items():
        assert _replay(path, _headers(version)) == message
    # Header names are case-insensitive on the wire, and so in matching.
    assert _replay(path, {"Anthropic-Version": "2023-06-01"}) == "ok"


def test_a_version_not_in_the_cassette_does_not_replay_another_answer(tmp_path: Path) -> None:
    path = tmp_path / "cell.yaml"
    path.write_text(cassette_format.serialize({"interactions": [_interaction(None)], "version": 1}), encoding="utf-8")
    with pytest.raises(CannotOverwriteExistingCassetteException):
        _replay(path, _headers("2023-06-01"))


def test_live_recording_keeps_one_answer_per_version_header(tmp_path: Path) -> None:
    """Retries of one request collapse to the last answer; requests differing by the header do not."""
    path = tmp_path / "cell.yaml"
    versions = [None, "2023-06-01, 2023-06-01", "2023-06-01, 2023-06-01"]
    requests_sent = [Request("POST", URI, json.dumps(BODY), _headers(version)) for version in versions]
    answers = [_answer("first"), _answer("retried"), _answer("last")]
    persister = CellPersister(live=True, complete=True)
    persister.save_cassette(str(path), {"requests": requests_sent, "responses": answers}, SERIALIZER)
    saved = cassette_format.load_cassette(path).interactions
    assert [i.request_headers.get("anthropic-version") for i in saved] == [None, ["2023-06-01, 2023-06-01"]]
    assert [json.loads(i.response_body)["error"]["message"] for i in saved] == ["first", "last"]
