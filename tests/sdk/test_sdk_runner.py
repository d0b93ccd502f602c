"""The SDK runner on a synthetic cassette: what it observes and what makes a cell drift."""

import pytest
from sdk_project import ANSWER, REQUEST_BODY, run, write_project

from provider_quirks.sdk.clients import INSTALL_HINT

pytest.importorskip("openai", reason=INSTALL_HINT)


def test_observation_names_the_sdk_the_requests_and_the_result(tmp_path):
    write_project(tmp_path)
    result = run(tmp_path)
    assert result.status == "holds", result.reason
    assert (result.provider, result.variant, result.evidence) == ("openai-sdk", "OpenAI", "reconstructed")
    observed = result.probes[0].observed
    assert observed["sdk"]["package"] == "openai" and observed["sdk"]["version"]
    assert observed["requests"] == 1
    assert observed["sent"] == [
        {
            "method": "POST",
            "path": "/v1/chat/completions",
            "query": {},
            "body": REQUEST_BODY,
            "answered": True,
            "as_evidence": True,
        }
    ]
    assert (observed["outcome"], observed["raised"]) == ("returned", None)
    assert observed["result"] == {"finish_reason": "stop", "text": "Hi!"}


def test_a_changed_answer_drifts(tmp_path):
    write_project(tmp_path, answer={**ANSWER, "choices": [{**ANSWER["choices"][0], "finish_reason": "length"}]})
    result = run(tmp_path)
    assert result.status == "drift"
    assert "result.finish_reason: expected 'stop', observed 'length'" in result.reason


def test_an_error_answer_is_observed_after_the_sdk_s_retries(tmp_path):
    write_project(tmp_path, status=500, answer={"error": {"message": "boom", "type": "server_error"}})
    result = run(tmp_path)
    assert result.status == "drift"
    observed = result.probes[0].observed
    assert observed["requests"] == 3  # the openai SDK's two default retries, without sleeping
    assert observed["raised"]["type"] == "openai.InternalServerError"


def test_a_changed_sdk_behaviour_drifts(tmp_path, monkeypatch):
    """An SDK version that shaped its answer differently (Mistral-style ``.data``) makes the cell drift."""
    import types

    from openai.resources.chat.completions import Completions

    write_project(tmp_path)
    create = Completions.create
    monkeypatch.setattr(Completions, "create", lambda self, **kw: types.SimpleNamespace(data=create(self, **kw)))
    result = run(tmp_path)
    assert result.status == "drift"
    assert "result.finish_reason: expected 'stop', observed None" in result.reason


def test_a_request_without_evidence_is_observed_as_unanswered(tmp_path):
    write_project(tmp_path, probe="another-probe")
    observed = run(tmp_path).probes[0].observed
    assert observed["outcome"] == "unanswered"
    assert observed["sent"][0]["answered"] is False


def test_live_runs_skip_sdk_cells(tmp_path):
    write_project(tmp_path)
    result = run(tmp_path, live=True)
    assert result.status == "skipped"
    assert "not recorded live" in (result.reason or "")
