"""``quirks record-local --check`` passes on servers whose cache lives outside the home folder.

The committed cassettes were recorded with the cache in ``~/.cache``. On another machine (a CI
runner with ``XDG_CACHE_HOME`` set) llama-cpp-python's 500 answer quotes a traceback whose paths
name that machine's cache; before they were normalised, that read as drift. Here the built
servers are copied into a temporary ``XDG_CACHE_HOME`` under the temporary folder (``cp -a``
keeps the venv's symlinks; its ``python`` links to the base interpreter, and Python finds the
venv's ``site-packages`` from ``pyvenv.cfg`` next to the link, so the copy runs from its new
place), both servers are recorded live from there, and the check must find no drift and no path
of the recording machine in any cassette or results file.

Skips like the other live tests until the servers are built (fails instead with
``PROVIDER_QUIRKS_REQUIRE_SERVERS=1``). Copying the cache takes about 3 s, the check about 20 s.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from provider_quirks.commands.record_local import check
from provider_quirks.localserver.build import BUILD_COMMAND, built_servers, cache_dir

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_SERVERS = "PROVIDER_QUIRKS_REQUIRE_SERVERS"
#: An absolute path into installed packages (normalised to ``<site-packages>/`` when recorded).
INSTALLED_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s\"'/\\<>]+)+[/\\](?:site|dist)-packages[/\\]")


@pytest.fixture
def cache_outside_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``XDG_CACHE_HOME`` in the temporary folder, holding a copy of the built servers."""
    if built_servers() is None:
        message = f"local servers not built: run `{BUILD_COMMAND}`"
        if os.environ.get(REQUIRE_SERVERS) == "1":
            pytest.fail(f"{message} ({REQUIRE_SERVERS}=1)")
        pytest.skip(message)
    built = cache_dir()
    cache = tmp_path / "xdg-cache"
    assert not cache.resolve().is_relative_to(Path.home().resolve())
    copy = cache / built.relative_to(built.parents[2])  # provider-quirks/servers/llama-cpp-python-<version>
    copy.parent.mkdir(parents=True)
    subprocess.run(["cp", "-a", str(built), str(copy)], check=True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    assert cache_dir() == copy
    paths = built_servers()
    assert paths is not None and paths.python.is_relative_to(copy)
    prefix = subprocess.run(
        [str(paths.python), "-c", "import sys, llama_cpp; print(sys.prefix); print(llama_cpp.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [Path(line).is_relative_to(copy) for line in prefix] == [True, True], prefix  # the copy runs itself
    return cache


def test_record_local_check_passes_with_the_cache_outside_home(cache_outside_home, tmp_path, capsys):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    code = check(ROOT, scratch)
    out = capsys.readouterr().out
    assert code == 0, out
    written = [scratch / "committed.json", scratch / "live.json", *sorted((scratch / "cassettes").rglob("*.yaml"))]
    assert len(written) > 2 + 10, written  # both results files and the cassettes of both servers
    machine_paths = {str(tmp_path), str(cache_outside_home), str(Path.home())}
    leaks = []
    for path in written:
        text = path.read_text(encoding="utf-8")
        leaks += [f"{path.name}: {folder}" for folder in machine_paths if folder in text]
        leaks += [f"{path.name}: {match}" for match in INSTALLED_PATH.findall(text)]
    assert leaks == []
    tracebacks = [p for p in written if "<site-packages>/llama_cpp" in p.read_text(encoding="utf-8")]
    assert tracebacks, "no recorded traceback: the normalisation was not exercised"
