"""The HTML page in headless Chromium: it loads without console errors and its filters work.

The page carries its own self-test: ``index.html#selftest`` sets each filter in turn, counts the
visible cells against the counts computed by the report, opens and closes a cell's detail panel,
and writes PASS, or every failure and every script error, into the DOM, which ``--dump-dom``
prints. The page's own console messages are also read from Chromium's log (Chromium logs lines
of its own there, such as a slow-network notice from chrome://resources, which are not the
page's). The page's Content-Security-Policy forbids every network load and every script but its
own, so a page that tried to fetch or run anything else would report an error here.
"""

import pytest
from chromium import page_console, require_chromium, selftest, with_policy_for_its_scripts


@pytest.fixture(autouse=True)
def chromium_present():
    require_chromium()


def test_page_passes_its_self_test_in_chromium(report_dir, tmp_path):
    verdict, console = selftest(report_dir / "index.html", tmp_path / "profile")
    assert verdict == "PASS", verdict
    assert console == []


def test_only_the_pages_own_console_messages_count(report_dir, tmp_path):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    page = tmp_path / "index.html"
    spoken = html.replace("'use strict';", "'use strict'; console.log('the page\\nspeaks');", 1)
    page.write_text(with_policy_for_its_scripts(spoken), encoding="utf-8")
    _, console = selftest(page, tmp_path / "profile")
    assert console == ["the page\nspeaks"]
    chromium_own = (
        '[1:1:1201/180807.684312:INFO:CONSOLE:0] "[Intervention] Slow network is detected. Fallback font will be '
        'used while loading: chrome://resources/roboto.woff2", source: chrome://resources/roboto.css (0)\n'
    )
    assert page_console(chromium_own, page.resolve().as_uri()) == []


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
    page.write_text(with_policy_for_its_scripts(html.replace(broken, replacement, 1)), encoding="utf-8")
    verdict, _ = selftest(page, tmp_path / "profile")
    assert verdict.startswith("FAIL") and symptom in verdict, verdict


def test_a_network_load_is_an_error(report_dir, tmp_path):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text(html.replace("</body>", '<img src="http://127.0.0.1:9/x.png"></body>', 1), encoding="utf-8")
    verdict, _ = selftest(page, tmp_path / "profile")
    assert verdict.startswith("FAIL") and "blocked by the page policy" in verdict, verdict
