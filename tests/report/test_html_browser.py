"""The HTML page in headless Chromium: it loads without console errors and its filters work.

The page carries its own self-test: ``index.html#selftest`` sets each filter in turn, counts the
visible cells against the counts computed by the report, opens and closes a cell's detail panel,
and writes PASS, or every failure and every script error, into the DOM, which ``--dump-dom``
prints. Console messages are also read from Chromium's log. The page's Content-Security-Policy
forbids every network load, so a page that tried to fetch anything would report an error here.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
    "--dump-dom",
]

INSTALL_HINT = "the headless check needs Chromium: apt-get install chromium"


@pytest.fixture(autouse=True)
def chromium_present():
    """Skipped without Chromium, except where CI sets QUIRKS_REQUIRE_CHROMIUM=1: there a missing browser fails."""
    if not CHROMIUM.exists():
        if os.environ.get("QUIRKS_REQUIRE_CHROMIUM") == "1":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)


def selftest(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The self-test's verdict and the console lines Chromium logged."""
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", page.resolve().as_uri() + "#selftest"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    match = re.search(r'<pre id="selftest-result">(.*?)</pre>', done.stdout, re.S)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return (match.group(1).strip() if match else f"no self-test result (exit {done.returncode})"), console


def test_page_passes_its_self_test_in_chromium(report_dir, tmp_path):
    verdict, console = selftest(report_dir / "index.html", tmp_path / "profile")
    assert verdict == "PASS", verdict
    assert console == []


@pytest.mark.parametrize(
    ("broken", "replacement", "symptom"),
    [
        ("row.classList.toggle('off', !(any && category));", "row.classList.toggle('off', false);", "category="),
        ("var keys = ['provider'", "var keys = ['provider' +", "SyntaxError"),
        ("panel.hidden = false;", "", "did not open the detail panel"),
    ],
    ids=["filter-ignored", "syntax-error", "panel-broken"],
)
def test_the_check_fails_on_a_broken_page(report_dir, tmp_path, broken, replacement, symptom):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert broken in html
    page = tmp_path / "index.html"
    page.write_text(html.replace(broken, replacement, 1), encoding="utf-8")
    verdict, _ = selftest(page, tmp_path / "profile")
    assert verdict.startswith("FAIL") and symptom in verdict, verdict


def test_a_network_load_is_an_error(report_dir, tmp_path):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text(html.replace("</body>", '<img src="http://127.0.0.1:9/x.png"></body>', 1), encoding="utf-8")
    verdict, _ = selftest(page, tmp_path / "profile")
    assert verdict.startswith("FAIL") and "blocked by the page policy" in verdict, verdict
