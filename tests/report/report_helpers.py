"""Helpers for the report tests: run the suite and the `quirks` command as a user does."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_suite(root: Path, results: Path, *extra: str) -> subprocess.CompletedProcess:
    """Replay the quirks of ``root`` in a fresh pytest process; drift (exit 1) is a normal outcome here."""
    command = [sys.executable, "-m", "pytest", "quirks", f"--rootdir={root}", f"--quirks-results={results}"]
    command += ["-q", "-p", "no:randomly", "-p", "no:cacheprovider", *extra]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert results.is_file(), done.stdout + done.stderr
    return done


def quirks(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The ``quirks`` command, as a user runs it."""
    command = [sys.executable, "-m", "provider_quirks.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def copy_project(destination: Path) -> Path:
    """quirks/, cassettes/ and the pytest settings, so a test can change cassettes and expectations."""
    for folder in ("quirks", "cassettes"):
        shutil.copytree(ROOT / folder, destination / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


#: History blocks (provider_quirks/report/history.py): Markdown between markers, HTML elements of class "history".
HISTORY_BLOCK = re.compile(
    r"<!-- history -->\n.*?<!-- /history -->\n|<(div|section) class=\"history\"[^>]*>.*?</\1>", re.S
)


def without_history(text: str) -> str:
    return HISTORY_BLOCK.sub("", text)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
