"""The local live targets: llama-server and llama-cpp-python's server with the tiny model.

The live tests skip (naming the build command) until the servers are built, or fail instead when
``PROVIDER_QUIRKS_REQUIRE_SERVERS=1`` (CI: a skipped live suite must not pass unnoticed). The
startup-failure, port and model-builder tests always run, with stand-in executables.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from liveness import accepts_connections, is_running

from provider_quirks.localserver.build import BUILD_COMMAND, ServerPaths, built_servers
from provider_quirks.localserver.process import (
    HOST,
    MODEL_ALIAS,
    SERVER_KINDS,
    RunningServer,
    ServerKind,
    ServerStartError,
    free_port,
    running_server,
    server_command,
)

REQUIRE_SERVERS = "PROVIDER_QUIRKS_REQUIRE_SERVERS"
HELLO = [{"role": "user", "content": "Say hello"}]
#: The tiny model's greedy reply, cut at 8 tokens (see tiny_model.REPLY).
FIRST_8_WORDS = ["hello", "world", "this", "is", "a", "tiny", "test", "model"]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
            "required": ["city", "days"],
        },
    },
}


def exchange(server: RunningServer, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
    """One HTTP exchange with the server (stdlib: no proxy settings can get in the way)."""
    conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
    try:
        data = None if body is None else json.dumps(body).encode()
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def chat(server: RunningServer, **fields: Any) -> dict[str, Any]:
    status, body = exchange(server, "POST", "/v1/chat/completions", {"model": MODEL_ALIAS, **fields})
    assert status == 200, body
    answer: dict[str, Any] = json.loads(body)
    return answer


@pytest.fixture(scope="session")
def paths() -> ServerPaths:
    built = built_servers()
    if built is None:
        message = f"local servers not built: run `{BUILD_COMMAND}`"
        if os.environ.get(REQUIRE_SERVERS) == "1":
            pytest.fail(f"{message} ({REQUIRE_SERVERS}=1)")
        pytest.skip(message)
    return built


@pytest.fixture(scope="module", params=SERVER_KINDS)
def server(
    request: pytest.FixtureRequest, paths: ServerPaths, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    with running_server(request.param, paths, log_dir=tmp_path_factory.mktemp("logs")) as running:
        yield running


@pytest.fixture(scope="module")
def llama_server(paths: ServerPaths, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server("llama-server", paths, log_dir=tmp_path_factory.mktemp("logs")) as running:
        yield running


# -- live: both servers ------------------------------------------------------------------


def test_models_lists_the_alias(server: RunningServer) -> None:
    status, body = exchange(server, "GET", "/v1/models")
    assert status == 200
    assert [m["id"] for m in json.loads(body)["data"]] == [MODEL_ALIAS]
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    assert server.version


def test_chat_stops_at_max_tokens_with_usage(server: RunningServer) -> None:
    answer = chat(server, messages=HELLO, max_tokens=8, temperature=0)
    choice = answer["choices"][0]
    assert choice["finish_reason"] == "length"
    assert choice["message"]["content"].split() == FIRST_8_WORDS
    usage = answer["usage"]
    assert usage["completion_tokens"] == 8
    assert usage["prompt_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_chat_ends_by_itself_with_stop(server: RunningServer) -> None:
    choice = chat(server, messages=HELLO, temperature=0)["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["content"].split()[-1] == "ok"


def test_greedy_chat_is_deterministic(server: RunningServer) -> None:
    first, second = (chat(server, messages=HELLO, max_tokens=8, temperature=0) for _ in range(2))
    assert first["choices"] == second["choices"]
    assert first["usage"] == second["usage"]


# -- live: llama-server only -------------------------------------------------------------


def test_llama_server_returns_tool_calls(llama_server: RunningServer) -> None:
    choice = chat(llama_server, messages=[{"role": "user", "content": "Weather?"}], tools=[WEATHER_TOOL])["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    (call,) = choice["message"]["tool_calls"]
    assert call["function"]["name"] == "get_weather"
    assert set(json.loads(call["function"]["arguments"])) == {"city", "days"}


def test_llama_server_streams_a_final_usage_chunk(llama_server: RunningServer) -> None:
    status, body = exchange(
        llama_server,
        "POST",
        "/v1/chat/completions",
        {
            "model": MODEL_ALIAS,
            "messages": HELLO,
            "max_tokens": 4,
            "temperature": 0,
            "stream": True,
            "stream_options": {"include_usage": True},
        },
    )
    assert status == 200
    data = [line[len("data: ") :] for line in body.decode().splitlines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    last = json.loads(data[-2])
    assert last["choices"] == []
    assert last["usage"]["completion_tokens"] == 4


# -- lifecycle ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_server_is_gone_after_the_block(kind: ServerKind, paths: ServerPaths, tmp_path: Path) -> None:
    with running_server(kind, paths, log_dir=tmp_path) as running:
        assert is_running(running.pid)
    assert not is_running(running.pid)
    assert not accepts_connections(running.port)


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_server_is_gone_when_the_block_raises(kind: ServerKind, paths: ServerPaths, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="boom"), running_server(kind, paths, log_dir=tmp_path) as running:
        pid, port = running.pid, running.port
        raise RuntimeError("boom")
    assert not is_running(pid)
    assert not accepts_connections(port)


def fake_paths(tmp_path: Path, script: str) -> ServerPaths:
    """ServerPaths whose llama-server is a shell script, to test startup failures fast."""
    exe = tmp_path / "fake-server"
    exe.write_text("#!/bin/sh\n" + script + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return ServerPaths(exe, exe, tmp_path / "model.gguf", "fake", "fake")


def test_startup_failure_quotes_the_log(tmp_path: Path) -> None:
    paths = fake_paths(tmp_path, "echo 'error: cannot load model' >&2; exit 3")
    with (
        pytest.raises(ServerStartError, match=r"exited with code 3(.|\n)*cannot load model"),
        running_server("llama-server", paths, log_dir=tmp_path),
    ):
        pytest.fail("the block must not run")


def test_startup_timeout_kills_the_server(tmp_path: Path) -> None:
    paths = fake_paths(tmp_path, f"echo $$ > {tmp_path}/pid; echo waiting; exec sleep 60")
    with (
        pytest.raises(ServerStartError, match=r"not ready after(.|\n)*waiting"),
        running_server("llama-server", paths, startup_timeout=0.5, log_dir=tmp_path),
    ):
        pytest.fail("the block must not run")
    assert not is_running(int((tmp_path / "pid").read_text()))


# -- always: helpers and the model builder -----------------------------------------------


def test_free_port_is_a_bindable_loopback_port() -> None:
    port = free_port()
    assert 0 < port < 65536
    with socket.socket() as sock:
        sock.bind((HOST, port))


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_servers_bind_loopback_only_with_the_alias(kind: ServerKind, tmp_path: Path) -> None:
    cmd = server_command(kind, fake_paths(tmp_path, "exit 0"), 1234)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--port") + 1] == "1234"
    assert MODEL_ALIAS in cmd


def test_built_servers_is_none_without_a_build(tmp_path: Path) -> None:
    assert built_servers(tmp_path) is None


def test_tiny_model_is_byte_identical_on_every_build(tmp_path: Path) -> None:
    pytest.importorskip("gguf", reason="needs gguf: pip install 'gguf==0.19.0' (extra: local-servers)")
    from provider_quirks.localserver.tiny_model import write_model

    digests = set()
    for name in ("a.gguf", "b.gguf"):
        write_model(tmp_path / name)
        digests.add(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert len(digests) == 1
    assert (tmp_path / "a.gguf").stat().st_size < 1_000_000
