"""Adding a provider of an existing dialect is one declaration (issue 13): nothing else to edit.

A temporary copy of the project declares one more provider in ``providers/definitions.py`` and
runs the suite against that copy (its ``src`` first on the path): the provider's cells are
collected on every wire quirk, pending with the reason, and every other cell is as before.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DECLARATION = """

EXAMPLE_HOSTED = Provider(
    name="example_hosted",
    title="Example hosted API",
    dialect=OPENAI_CHAT,
    base_url_env="EXAMPLE_HOSTED_BASE_URL",
    default_base_url="https://api.example-hosted.invalid/v1",
    key_env="EXAMPLE_HOSTED_API_KEY",
    variants=(Variant("small-model", "small-model"),),
    hosts=("api.example-hosted.invalid",),
)
"""


def test_a_declared_provider_joins_every_wire_quirk_as_pending(tmp_path):
    for folder in ("src", "quirks", "cassettes"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    definitions = tmp_path / "src" / "provider_quirks" / "providers" / "definitions.py"
    source = definitions.read_text(encoding="utf-8")
    marker = "\n\n#: Every provider declared above"
    definitions.write_text(source.replace(marker, DECLARATION + marker, 1), encoding="utf-8")

    environ = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    environ.pop("PYTEST_ADDOPTS", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "quirks", "-q", "-p", "no:randomly", "--quirks-results", "results.json"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    cells = json.loads((tmp_path / "results.json").read_text())["cells"]
    added = [cell for cell in cells if cell["provider"] == "example_hosted"]
    # Every quirk that takes the core targets (a quirk of one API, such as the Responses event order, names its own).
    wire_quirks = {cell["quirk"] for cell in cells if cell["target"] == "mistral@mistral-small-latest"}
    assert {cell["quirk"] for cell in added} == wire_quirks
    # Pending until evidence arrives; n/a only where no probe of the quirk applies to its API.
    assert {cell["status"] for cell in added} == {"pending", "n/a"}
    for cell in added:
        module = cell["quirk"].replace("-", "_")
        if cell["status"] == "pending":
            assert cell["reason"] == f"no evidence yet: example_hosted@small-model is not in {module}.yaml"
        else:
            assert cell["reason"], cell
    others = [cell for cell in cells if cell["provider"] != "example_hosted"]
    assert sum(cell["status"] == "holds" for cell in others) >= 100
