"""Headless Chromium as the report tests drive it: the page's DOM after its self-test, and its console.

The page is opened as a file in a 1366x768 window (a common laptop) with ``#selftest``, or with a
permalink's fragment; ``--dump-dom`` prints the DOM once the virtual time budget has run out, and
Chromium's log on stderr carries the console messages, the page's and Chromium's own (such as a
slow-network notice from chrome://resources), told apart by source. The self-test writes the
widths it measured as attributes of its result (``layout``).
"""

import os
import re
import subprocess
from html import escape
from pathlib import Path

import pytest

from provider_quirks.report.html import content_security_policy

CHROMIUM = Path("/usr/bin/chromium")
#: The laptop screen the page must fit without horizontal scrolling.
WINDOW = (1366, 768)
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
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
    "--dump-dom",
]

INSTALL_HINT = "the headless check needs Chromium: apt-get install chromium"

#: One console message in Chromium's log: ``[...:INFO:CONSOLE:12] "text", source: URL (12)``.
CONSOLE_LINE = re.compile(r'^\[[^\]]*:CONSOLE[^\]]*\] "(?P<text>.*?)", source: (?P<source>\S*) \(\d+\)$', re.M | re.S)


def require_chromium() -> None:
    """Skip without Chromium, except where CI sets QUIRKS_REQUIRE_CHROMIUM=1: there a missing browser fails."""
    if not CHROMIUM.exists():
        if os.environ.get("QUIRKS_REQUIRE_CHROMIUM") == "1":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)


def run_page(page: Path, profile: Path, fragment: str = "selftest") -> tuple[str, list[str]]:
    """The DOM once the page ran (its self-test by default), and the console messages the page itself logged."""
    url = page.resolve().as_uri()
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"{url}#{fragment}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout, page_console(done.stderr, url)


def page_console(log: str, url: str) -> list[str]:
    """Console messages whose source is the page: Chromium's own lines come from other sources."""
    return [m["text"] for m in CONSOLE_LINE.finditer(log) if m["source"].partition("#")[0] == url]


def verdict(dom: str) -> str:
    """What the self-test wrote: PASS, or FAIL and a line per failure and per script error."""
    match = re.search(r'<pre id="selftest-result"[^>]*>(.*?)</pre>', dom, re.S)
    return match.group(1).strip() if match else "no self-test result"


def layout(dom: str) -> dict[str, int]:
    """The widths the self-test measured: the window, the widest the page and the overview tables got."""
    match = re.search(r'<pre id="selftest-result"([^>]*)>', dom)
    attributes = dict(re.findall(r'data-([a-z-]+)="(\d+)"', match.group(1))) if match else {}
    return {name: int(value) for name, value in attributes.items()}


def selftest(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The self-test's verdict and the page's console messages."""
    dom, console = run_page(page, profile)
    return verdict(dom), console


def with_policy_for_its_scripts(html: str) -> str:
    """The page's policy recomputed for the scripts it holds now, as the generator would, after a test edited one."""
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    policy = escape(content_security_policy(scripts, styles), quote=True)
    meta = r'(<meta http-equiv="Content-Security-Policy" content=")[^"]*'
    return re.sub(meta, lambda match: match.group(1) + policy, html, count=1)
