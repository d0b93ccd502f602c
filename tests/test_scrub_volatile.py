"""Values that change on every recording are normalized, so two runs of an unchanged server match."""

from pathlib import Path

from provider_quirks.scrub import normalize_volatile


def test_ids_timestamps_and_timings_are_normalized():
    body = '{"id": "chatcmpl-AbC123", "created": 1764115200, "timings": {"prompt_ms": 1.5}}'
    assert normalize_volatile(body) == '{"id":"chatcmpl-SCRUBBED", "created":0, "timings":{}}'


def test_the_home_folder_in_a_quoted_path_becomes_a_tilde():
    message = f'File "{Path.home()}/.cache/servers/venv/app.py", line 376'
    assert normalize_volatile(message) == 'File "~/.cache/servers/venv/app.py", line 376'
