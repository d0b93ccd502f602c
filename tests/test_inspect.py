"""`quirks inspect` prints the documented observation of each interaction of any vcrpy cassette.

Each view ends with the interaction's evidence: what a reconstructed answer quotes and what the
suite filled in, when and from which server a recorded one was captured.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from provider_quirks.cli import main

STREAMS = Path(__file__).parent / "streaming" / "streams"
ROOT = Path(__file__).resolve().parents[1]
KEYS = [
    "provider",
    "status",
    "outcome",
    "error",
    "text",
    "tool_calls",
    "finish_reason",
    "usage",
    "stream",
    "evidence",
]
STREAM_KEYS = ["events", "done_sentinel", "usage_location", "line_endings", "event_names", "comments"]

# (stream file, recorded URI, provider detected, usage location, [DONE] sent)
RECORDED_STREAMS = [
    ("openai-chat--include-usage.sse", "https://api.openai.com/v1/chat/completions", "openai", "final-chunk", True),
    (
        "openai-chat--azure-prompt-filter.sse",
        "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        "azure_openai",
        "absent",
        True,
    ),
    (
        "openai-chat--mistral-finish-usage.sse",
        "https://api.mistral.ai/v1/chat/completions",
        "mistral",
        "finish-chunk",
        True,
    ),
    (
        "anthropic-messages--text-ping.sse",
        "https://api.anthropic.com/v1/messages",
        "anthropic",
        "message-events",
        False,
    ),
    (
        "gemini-generate--alt-sse.sse",
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
        "gemini",
        "every-chunk",
        False,
    ),
    (
        "openai-chat--vllm-continuous-usage.sse",
        "http://127.0.0.1:8000/v1/chat/completions",
        "openai_compatible",
        "every-chunk",
        True,
    ),
]


def plain_vcrpy_cassette(tmp_path, uri, body, content_type, **extra):
    """Written the way vcrpy itself writes (string bodies), as another tool would have.

    ``extra`` adds top-level keys (``metadata``) or, as ``evidence``, the interaction's own note.
    """
    interaction = {
        "request": {"body": '{"stream": true}', "headers": {}, "method": "POST", "uri": uri},
        "response": {
            "body": {"string": body},
            "headers": {"Content-Type": [content_type]},
            "status": {"code": 200, "message": "OK"},
        },
    }
    if "evidence" in extra:
        interaction["evidence"] = extra.pop("evidence")
    data = {"interactions": [interaction], "version": 1, **extra}
    path = tmp_path / "cassette.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def inspect(path, capsys, *extra):
    assert main(["inspect", str(path), *extra]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("name", "uri", "provider", "usage_location", "done"), RECORDED_STREAMS)
def test_stream_of_each_provider(tmp_path, capsys, name, uri, provider, usage_location, done):
    body = (STREAMS / name).read_bytes().decode()
    [view] = inspect(plain_vcrpy_cassette(tmp_path, uri, body, "text/event-stream"), capsys)
    assert list(view) == KEYS
    assert list(view["stream"]) == STREAM_KEYS
    assert view["provider"] == provider
    assert view["outcome"] == "accepted"
    assert view["text"]
    assert view["stream"]["usage_location"] == usage_location
    assert view["stream"]["done_sentinel"] is done
    assert view["stream"]["events"] > 1


def test_gemini_crlf_is_reported(tmp_path, capsys):
    body = (STREAMS / "gemini-generate--alt-sse.sse").read_bytes().decode()
    uri = "https://generativelanguage.googleapis.com/v1beta/models/m:streamGenerateContent?alt=sse"
    [view] = inspect(plain_vcrpy_cassette(tmp_path, uri, body, "text/event-stream"), capsys)
    assert view["stream"]["line_endings"] == "crlf"


def test_error_answer_has_error_and_no_stream(tmp_path, capsys):
    body = '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}'
    path = plain_vcrpy_cassette(tmp_path, "https://api.anthropic.com/v1/messages", body, "application/json")
    text = path.read_text().replace("code: 200", "code: 400")
    path.write_text(text)
    [view] = inspect(path, capsys)
    assert view["outcome"] == "rejected"
    assert view["error"] == {
        "type": "invalid_request_error",
        "message": "max_tokens: Field required",
        "param": "max_tokens",
    }
    assert view["stream"] is None


def test_committed_cassettes_inspect(capsys):
    for path in sorted(ROOT.glob("cassettes/*/*.yaml")):
        views = inspect(path, capsys)
        assert views and all(list(v) == KEYS for v in views), path
        level = yaml.safe_load(path.read_text())["metadata"]["evidence"]["level"]
        for view in views:
            evidence = view["evidence"]
            assert evidence["level"] == level, path
            if level == "reconstructed":
                assert evidence["source"].startswith("https://"), path
                assert "body" in evidence["quoted"], path
                assert not set(evidence["quoted"]) & set(evidence["filled"]), path
            else:
                assert list(evidence) == ["level", "recorded_at", "server"], path


QUOTED_404 = '{"error": {"code": "404", "message": "Resource not found"}}'
AZURE_URI = "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions"
SOURCE = "https://github.com/example/project/issues/1"


def reconstructed_cassette(tmp_path, **note):
    """A 404 whose source shows the status and the body; the reason phrase and content-type are filled in."""
    path = plain_vcrpy_cassette(
        tmp_path,
        AZURE_URI,
        QUOTED_404,
        "application/json",
        metadata={"evidence": {"level": "reconstructed", "sources": [{"url": SOURCE}]}},
        evidence={"probe": "version-missing", "source": SOURCE, **note},
    )
    path.write_text(path.read_text().replace("code: 200", "code: 404").replace("message: OK", "message: Not Found"))
    return path


def test_reconstructed_answer_says_what_is_quoted_and_what_filled(tmp_path, capsys):
    [view] = inspect(reconstructed_cassette(tmp_path, quoted=["body", "status"]), capsys)
    assert list(view) == KEYS
    assert view["status"] == 404
    assert view["evidence"] == {
        "level": "reconstructed",
        "source": SOURCE,
        "quoted": ["status", "body"],
        "filled": ["reason", "headers"],
        "envelope": None,
    }


def test_filled_lists_only_parts_the_cassette_has(tmp_path, capsys):
    """No reason phrase and no headers kept: nothing is filled in; a documented envelope is said."""
    path = reconstructed_cassette(tmp_path, quoted=["status", "body"], envelope="documented")
    data = yaml.safe_load(path.read_text())
    response = data["interactions"][0]["response"]
    response["status"]["message"], response["headers"] = "", {}
    path.write_text(yaml.safe_dump(data))
    [view] = inspect(path, capsys)
    assert view["evidence"]["filled"] == []
    assert view["evidence"]["envelope"] == "documented"


def test_reconstructed_without_a_declaration_quotes_nothing(tmp_path, capsys):
    """An undeclared interaction is not read as quoted: every part it has shows as filled in."""
    [view] = inspect(reconstructed_cassette(tmp_path), capsys)
    assert view["evidence"]["quoted"] == []
    assert view["evidence"]["filled"] == ["status", "reason", "headers", "body"]


def test_recorded_answer_says_when_and_from_which_server(tmp_path, capsys):
    metadata = {
        "evidence": {
            "level": "recorded",
            "recorded_at": "2026-11-26",
            "model": "tiny-llama",
            "server": "llama-cpp-python 0.3.36",
        }
    }
    body = '{"choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}]}'
    uri = "http://127.0.0.1:8000/v1/chat/completions"
    path = plain_vcrpy_cassette(tmp_path, uri, body, "application/json", metadata=metadata)
    [view] = inspect(path, capsys, "--provider", "openai_compatible")
    assert view["evidence"] == {"level": "recorded", "recorded_at": "2026-11-26", "server": "llama-cpp-python 0.3.36"}


def test_another_tools_cassette_has_no_evidence(tmp_path, capsys):
    path = plain_vcrpy_cassette(tmp_path, "https://api.openai.com/v1/chat/completions", "{}", "application/json")
    [view] = inspect(path, capsys)
    assert view["evidence"] == {"level": "none"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("interactions: [", "not valid YAML"),
        ("a: 1", "not a vcrpy cassette"),
        ("interactions: [{request: {}}]", "malformed"),
    ],
)
def test_bad_cassette_is_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_unknown_provider_asks_for_provider(tmp_path, capsys):
    path = plain_vcrpy_cassette(tmp_path, "https://example.invalid/generate", "{}", "application/json")
    assert main(["inspect", str(path)]) == 2
    assert "--provider" in capsys.readouterr().err
    assert inspect(path, capsys, "--provider", "openai")[0]["provider"] == "openai"


def test_a_reader_that_stops_early_gets_no_traceback():
    """`quirks inspect CASSETTE | head -1`: the pipe closes under the command, which ends quietly.

    The pipe's reading end is closed before the command starts, so its first write fails, every time.
    """
    cassette = next((ROOT / "cassettes" / "stream-framing").glob("*.yaml"))
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "provider_quirks.cli", "inspect", str(cassette)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")
