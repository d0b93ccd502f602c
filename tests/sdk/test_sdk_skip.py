"""Without the sdk extra, SDK cells skip with the install command (these tests need no SDK)."""

import subprocess
import sys

from sdk_project import run, write_project

from provider_quirks.sdk.clients import INSTALL_HINT, SdkClient


def test_without_the_extra_the_cell_skips_with_the_install_command(tmp_path, monkeypatch):
    write_project(tmp_path)
    monkeypatch.setattr(SdkClient, "installed", lambda self: False)
    result = run(tmp_path)
    assert result.status == "skipped"
    assert result.reason == f"the openai SDK is not installed: {INSTALL_HINT}"
    assert INSTALL_HINT == "pip install 'provider-quirks[sdk]'"


def test_pytest_reports_the_skip_with_the_install_command(tmp_path):
    """Through the plugin, as a user without the extra sees it."""
    write_project(tmp_path)
    (tmp_path / "conftest.py").write_text("import sys\nsys.modules['openai'] = None  # the extra is missing\n")
    command = [sys.executable, "-m", "pytest", "quirks", f"--rootdir={tmp_path}", "-rs", "-p", "no:randomly"]
    output = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False).stdout
    assert "1 skipped" in output
    assert "skipped: the openai SDK is not installed: pip install 'provider-quirks[sdk]'" in output
