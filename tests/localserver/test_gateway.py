"""LiteLLM's proxy started by the suite in front of llama-server (provider_quirks.localserver.gateway).

The live tests skip, naming the extra, when LiteLLM is not installed, and naming the build command
when the servers are not built. The error-path tests use stand-in commands and always run.
"""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from liveness import accepts_connections, is_running

from provider_quirks.localserver import gateway
from provider_quirks.localserver.build import BUILD_COMMAND, built_servers
from provider_quirks.localserver.gateway import (
    BACKEND_ENV,
    GatewayUnavailableError,
    RunningGateway,
    gateway_environment,
    litellm_version,
    running_gateway,
)
from provider_quirks.localserver.process import HOST, MODEL_ALIAS, RunningServer, ServerStartError, running_server

#: The tiny model's reply ends with these words when nothing cuts it (see tiny_model.REPLY).
LAST_WORDS = "it says ok"


def post(gw: RunningGateway, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, bytes]:
    """One POST to the gateway (stdlib: no proxy settings can get in the way)."""
    conn = http.client.HTTPConnection(HOST, gw.port, timeout=60)
    try:
        conn.request(
            "POST", path, body=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def stand_in_backend(tmp_path: Path) -> RunningServer:
    """A RunningServer that is never contacted: the error-path tests stop before any request."""
    return RunningServer(
        kind="llama-server",
        port=9,
        base_url=f"http://{HOST}:9/v1",
        origin=f"http://{HOST}:9",
        version="stand-in",
        pid=0,
        log_path=tmp_path / "none.log",
        startup_seconds=0.0,
    )


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    try:
        litellm_version()
    except GatewayUnavailableError as exc:
        pytest.skip(str(exc))
    paths = built_servers()
    if paths is None:
        pytest.skip(f"local servers not built: run `{BUILD_COMMAND}`")
    with running_server("llama-server", paths, log_dir=tmp_path_factory.mktemp("logs")) as server:
        yield server


@pytest.fixture(scope="module")
def gw(backend: RunningServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    with running_gateway(backend, log_dir=tmp_path_factory.mktemp("gateway-logs")) as running:
        yield running


# -- live: the three endpoints through the gateway ---------------------------------------


def test_gateway_reports_its_pinned_version_and_backend(gw: RunningGateway, backend: RunningServer) -> None:
    assert gw.version == gateway.LITELLM_VERSION
    assert gw.base_url == f"http://127.0.0.1:{gw.port}/v1"
    assert gw.backend is backend
    assert gw.port != backend.port


def test_chat_completions_pass_through(gw: RunningGateway) -> None:
    status, body = post(
        gw,
        "/v1/chat/completions",
        {"model": MODEL_ALIAS, "messages": [{"role": "user", "content": "Say hi"}]},
        {"Authorization": f"Bearer {gw.api_key}"},
    )
    assert status == 200, body
    choice = json.loads(body)["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["message"]["content"].endswith(LAST_WORDS)


def test_anthropic_messages_answer_in_anthropic_shape(gw: RunningGateway) -> None:
    status, body = post(
        gw,
        "/v1/messages",
        {"model": MODEL_ALIAS, "max_tokens": 64, "messages": [{"role": "user", "content": "Say hi"}]},
        {"x-api-key": gw.api_key, "anthropic-version": "2023-06-01"},
    )
    assert status == 200, body
    answer = json.loads(body)
    assert (answer["type"], answer["role"], answer["stop_reason"]) == ("message", "assistant", "end_turn")
    assert answer["content"][0]["text"].endswith(LAST_WORDS)


def test_responses_answer_with_output_items(gw: RunningGateway) -> None:
    status, body = post(
        gw,
        "/v1/responses",
        {"model": MODEL_ALIAS, "input": "Say hi", "max_output_tokens": 64},
        {"Authorization": f"Bearer {gw.api_key}"},
    )
    assert status == 200, body
    answer = json.loads(body)
    assert (answer["object"], answer["status"]) == ("response", "completed")
    assert answer["output"][0]["content"][0]["text"].endswith(LAST_WORDS)


def test_requests_without_the_master_key_are_refused(gw: RunningGateway) -> None:
    status, _ = post(
        gw, "/v1/chat/completions", {"model": MODEL_ALIAS, "messages": [{"role": "user", "content": "hi"}]}, {}
    )
    assert status >= 400


def test_gateway_is_gone_when_the_block_raises(backend: RunningServer, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="boom"), running_gateway(backend, log_dir=tmp_path) as running:
        pid, port = running.pid, running.port
        assert accepts_connections(port)
        raise RuntimeError("boom")
    assert not is_running(pid)
    assert not accepts_connections(port)


# -- without LiteLLM or a server: environment and error paths ------------------------------


def test_missing_litellm_is_one_error_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    def version(name: str) -> str:
        if name == "litellm":
            raise metadata.PackageNotFoundError(name)
        return "1.0"

    monkeypatch.setattr(gateway.metadata, "version", version)
    with pytest.raises(
        GatewayUnavailableError, match=r"pip install 'provider-quirks\[litellm\]'.*litellm\[proxy\]==1\.108\.7"
    ):
        litellm_version()


def test_litellm_without_its_proxy_extra_is_the_same_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def version(name: str) -> str:
        if name == "uvicorn":
            raise metadata.PackageNotFoundError(name)
        return "1.108.7"

    monkeypatch.setattr(gateway.metadata, "version", version)
    with pytest.raises(GatewayUnavailableError, match=r"uvicorn missing.*provider-quirks\[litellm\]"):
        litellm_version()


def test_environment_is_offline_and_keeps_no_secret_of_the_shell(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DATABASE_URL", "HTTPS_PROXY", "LITELLM_MASTER_KEY"):
        monkeypatch.setenv(name, "from-the-shell")
    env = gateway_environment(stand_in_backend(tmp_path), "sk-test")
    assert env["LITELLM_MASTER_KEY"] == "sk-test"
    assert env[BACKEND_ENV] == f"http://{HOST}:9/v1"
    assert env["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"
    assert not {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DATABASE_URL", "HTTPS_PROXY"} & set(env)


def test_config_routes_the_model_alias_to_the_backend_variable() -> None:
    text = gateway.CONFIG.read_text()
    assert f"- model_name: {MODEL_ALIAS} " in text
    assert f"api_base: os.environ/{BACKEND_ENV} " in text


def test_startup_failure_quotes_the_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(gateway, "litellm_version", lambda: "stand-in")
    monkeypatch.setattr(
        gateway,
        "gateway_command",
        lambda port: [sys.executable, "-c", "print('config is broken'); raise SystemExit(3)"],
    )
    with (
        pytest.raises(ServerStartError, match=r"(?s)exited with code 3.*config is broken"),
        running_gateway(stand_in_backend(tmp_path), log_dir=tmp_path),
    ):
        pass


def test_startup_timeout_stops_the_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    monkeypatch.setattr(gateway, "litellm_version", lambda: "stand-in")
    monkeypatch.setattr(gateway, "gateway_command", lambda port: [sys.executable, "-c", script])
    with (
        pytest.raises(ServerStartError, match=r"not ready after 1s"),
        running_gateway(stand_in_backend(tmp_path), startup_timeout=1.0, log_dir=tmp_path),
    ):
        pass
    assert not is_running(int(pid_file.read_text()))
