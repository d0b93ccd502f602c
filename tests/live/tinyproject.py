"""A tiny project of its own for end-to-end runs: one quirk, its expectations, pytest as a subprocess.

The quirk (``extra-field``: is an unknown top-level field rejected?) is written for these tests
only; it is checked on four targets, one of them left ``pending`` as a whole and one with a
pending probe, so that a live rewrite shows what gets recorded for review.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from provider_quirks.providers import PROVIDERS

QUIRK_ID = "extra-field"
TARGETS = {
    "openai": "openai@gpt-4o-mini",
    "mistral": "mistral@mistral-small-latest",
    "anthropic": "anthropic@claude-haiku-4-5",
    "gemini": "gemini@gemini-2.5-flash",
}

MODULE = '''"""extra-field: an unknown top-level field in a chat request (a test quirk)."""

from provider_quirks.quirk import Probe, Quirk, chat_with

_EVERY_DIALECT = ("openai-chat", "anthropic-messages", "gemini-generate")

QUIRK = Quirk(
    id="extra-field",
    title="Unknown top-level field",
    category="request validation",
    summary="Some providers reject a field they do not know.",
    why_it_matters="A request that works on one provider fails on another.",
    workaround="Send only the fields the provider documents.",
    targets=(
        "openai@gpt-4o-mini", "mistral@mistral-small-latest", "anthropic@claude-haiku-4-5", "gemini@gemini-2.5-flash"
    ),
    probes=(
        Probe("extra", "an unknown field 'extra'", build=chat_with({d: {"extra": 1} for d in _EVERY_DIALECT})),
        Probe("plain", "the minimal request", build=chat_with({d: {} for d in _EVERY_DIALECT}), shows_workaround=True),
    ),
)
'''

EXPECTATIONS = """quirk: extra-field
cells:
  openai@gpt-4o-mini:
    evidence: recorded
    probes:
      extra:
        since: 2026-01-01
        expect:
          outcome: rejected
          status: 400
          error:
            message:
              $contains: 'extra'
      plain:
        since: 2026-01-01
        expect:
          outcome: accepted
  mistral@mistral-small-latest:
    evidence: recorded
    probes:
      extra:
        pending: not checked yet
      plain:
        since: 2026-01-01
        expect:
          outcome: accepted
  anthropic@claude-haiku-4-5:
    evidence: recorded
    probes:
      extra:
        since: 2026-01-01
        expect:
          outcome: rejected
          status: 400
      plain:
        since: 2026-01-01
        expect:
          outcome: accepted
  gemini@gemini-2.5-flash:
    pending: not checked yet
"""

#: The project's pytest settings; the hypothesis plugin and assertion rewriting only slow a subprocess down.
PYTEST_INI = "[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest --assert=plain\n"

#: Settings a test must not inherit from the machine it runs on (a real key would reach a real provider).
PROVIDER_VARIABLES = {v for p in PROVIDERS.values() for v in (p.key_env, p.base_url_env)}


class Project:
    def __init__(self, root: Path, write: bool = True) -> None:
        self.root = root
        if not write:
            return
        (root / "quirks").mkdir(parents=True)
        (root / "cassettes").mkdir()
        (root / "pytest.ini").write_text(PYTEST_INI)
        (root / "quirks" / "extra_field.py").write_text(MODULE)
        (root / "quirks" / "extra_field.yaml").write_text(EXPECTATIONS)

    def cassette(self, provider: str, quirk_id: str = QUIRK_ID) -> Path:
        return self.root / "cassettes" / quirk_id / f"{TARGETS[provider]}.yaml"

    def add_twin(self, quirk_id: str) -> None:
        """A second quirk, ``extra-field`` under another id: each provider then has two cells."""
        name = quirk_id.replace("-", "_")
        (self.root / "quirks" / f"{name}.py").write_text(MODULE.replace(f'id="{QUIRK_ID}"', f'id="{quirk_id}"'))
        (self.root / "quirks" / f"{name}.yaml").write_text(
            EXPECTATIONS.replace(f"quirk: {QUIRK_ID}", f"quirk: {quirk_id}")
        )

    def results(self, name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.root / ".quirks" / name).read_text())
        return data

    def reasons(self, name: str) -> dict[str, str]:
        return {cell["target"]: cell["reason"] or "" for cell in self.results(name)["cells"]}

    def statuses(self, name: str) -> dict[str, str]:
        return {cell["target"]: cell["status"] for cell in self.results(name)["cells"]}

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the project except the run's own results, by relative path."""
        return {
            p.relative_to(self.root).as_posix(): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file() and ".quirks" not in p.relative_to(self.root).parts
        }

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in PROVIDER_VARIABLES and not k.startswith("PYTEST")}
        return {**env, **extra}

    def pytest(self, *args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", "pytest", "-q", *args], self.root, self.env(env), timeout)

    def popen(self, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "pytest", "-q", *args]
        return subprocess.Popen(
            command, cwd=self.root, env=self.env(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def quirks(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(Path(sys.executable).with_name("quirks")), *args]
        return run(command, self.root, self.env({}), 60)


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def live(results: str, *extra: str) -> list[str]:
    """Arguments of a live refresh writing ``.quirks/<results>``."""
    return ["quirks", "--record-mode=rewrite", f"--quirks-results=.quirks/{results}", *extra]
