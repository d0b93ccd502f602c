"""Values that change on every recording are normalized, so two runs of an unchanged server match."""

from pathlib import Path

import pytest

from provider_quirks.scrub import normalize_volatile


def test_ids_timestamps_and_timings_are_normalized():
    body = '{"id": "chatcmpl-AbC123", "created": 1764115200, "timings": {"prompt_ms": 1.5}}'
    assert normalize_volatile(body) == '{"id":"chatcmpl-SCRUBBED", "created":0, "timings":{}}'


def test_the_home_folder_in_a_quoted_path_becomes_a_tilde(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "/nowhere/cache")
    message = f"see {Path.home()}/notes.txt"
    assert normalize_volatile(message) == "see ~/notes.txt"


@pytest.mark.parametrize("cache", ["{home}/.cache", "/srv/ci-cache", "{tmp}/xdg"])
def test_a_servers_traceback_reads_the_same_wherever_its_cache_lives(cache, monkeypatch, tmp_path):
    """The local servers are built into the cache; their 500s quote files of their own environment."""
    folder = cache.format(home=Path.home(), tmp=tmp_path)
    if not cache.startswith("{home}"):
        monkeypatch.setenv("XDG_CACHE_HOME", folder)
    message = f'File "{folder}/provider-quirks/servers/x-0.3/venv/lib/python3.11/site-packages/pkg/app.py", line 3'
    assert normalize_volatile(message) == 'File "<site-packages>/pkg/app.py", line 3'


def test_cache_and_temporary_folders_become_placeholders(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = f"model at {tmp_path}/cache/provider-quirks/m.gguf"
    assert normalize_volatile(text) == "model at <cache>/provider-quirks/m.gguf"


def test_request_paths_in_messages_are_left_alone():
    assert normalize_volatile("POST /v1/chat/completions not found") == "POST /v1/chat/completions not found"
