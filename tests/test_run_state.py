"""A run's settings never change; what a live run learns (started servers, stopped providers) is its state."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from provider_quirks.run_state import RunState, StartedServer
from provider_quirks.sending import base_url
from provider_quirks.settings import RunSettings
from provider_quirks.targets import resolve_target

GATEWAY = resolve_target("openai_compatible@litellm")


def live_settings(**overrides: Any) -> RunSettings:
    return RunSettings(live=True, cassette_dir=Path("cassettes"), root=Path("."), environ={}, **overrides)


def test_settings_cannot_be_changed_during_a_run():
    with pytest.raises(dataclasses.FrozenInstanceError):
        live_settings().live = False  # type: ignore[misc]


def test_a_started_server_gives_the_target_its_base_url_key_and_version():
    settings, state = live_settings(), RunState.for_run(live_settings())
    assert state.base_url_override(GATEWAY, settings) is None
    started = StartedServer("http://127.0.0.1:4000/v1/", "sk-run-key", "litellm 1.0 -> llama-server b1")
    state.started[GATEWAY.id] = started
    assert base_url(GATEWAY, settings, state) == "http://127.0.0.1:4000/v1"
    assert state.api_key(GATEWAY, settings) == "sk-run-key"
    assert state.server_version(GATEWAY, settings) == "litellm 1.0 -> llama-server b1"
    assert "sk-run-key" in state.secrets(settings)  # scrubbed from cassettes and results like a provider key


def test_without_a_started_server_the_options_apply():
    settings = live_settings(
        base_urls={GATEWAY.id: "http://127.0.0.1:9/v1"}, server_versions={GATEWAY.id: "declared 2"}
    )
    state = RunState.for_run(settings)
    assert base_url(GATEWAY, settings, state) == "http://127.0.0.1:9/v1"
    assert state.server_version(GATEWAY, settings) == "declared 2"
    assert state.secrets(settings) == []
