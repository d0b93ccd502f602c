"""The HTML page in headless Chromium at 1366x768: it fits, loads without console errors, its controls work.

The page carries its own self-test: ``index.html#selftest`` measures the page and the overview
tables (folded, then with every provider's variants unfolded), sets each filter in turn and counts
the visible cells against the counts computed by the report, searches for each quirk, follows a
provider cell's permalink, opens and closes a cell's detail panel, and writes PASS, or every
failure and every script error, into the DOM, which ``--dump-dom`` prints. The page's own console
messages are also read from Chromium's log (Chromium logs lines of its own there, such as a
slow-network notice from chrome://resources, which are not the page's). The page's
Content-Security-Policy forbids every network load and every script but its own, so a page that
tried to fetch or run anything else would report an error here. Permalinks are also opened as a
reader does, from the address: the page must come up with the cell's detail and its sources.
"""

import re

import pytest
from chromium import WINDOW, layout, page_console, require_chromium, run_page, selftest, with_policy_for_its_scripts
from report_helpers import load


@pytest.fixture(autouse=True)
def chromium_present():
    require_chromium()


def test_page_passes_its_self_test_in_chromium(report_dir, tmp_path):
    verdict, console = selftest(report_dir / "index.html", tmp_path / "profile")
    assert verdict == "PASS", verdict
    assert console == []


def test_page_fits_a_laptop_screen(report_dir, tmp_path):
    """No horizontal scrolling at 1366 px: the document and the overview tables, folded and unfolded."""
    dom, _ = run_page(report_dir / "index.html", tmp_path / "profile")
    widths = layout(dom)
    assert widths["window"] == WINDOW[0], widths  # the window size took effect: the check measured a laptop
    assert 0 < widths["page-width"] <= WINDOW[0], widths
    assert 0 < widths["table-width"] <= WINDOW[0], widths


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
        ("var keep = any && category && found(row, words);", "var keep = any && found(row, words);", "category="),
        ("return words.every(", "return !words.length || !words.every(", "search "),
        ("var keys = ['provider'", "var keys = ['provider' +", "SyntaxError"),
        ("panel.hidden = false;", "", "did not open the detail panel"),
        ("window.history.pushState(null, '', '#' + anchor);", "", "did not set its permalink"),
        ("if (details) { details.open = true; }", "", "permalink of a provider cell did not unfold it"),
        (".overview { width: 100%;", ".overview { width: 1500px;", "px wide in a 1366 px window"),
    ],
    ids=[
        "filter-ignored",
        "search-ignored",
        "syntax-error",
        "panel-broken",
        "no-permalink",
        "cell-permalink-broken",
        "table-too-wide",
    ],
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


def anchor(cell: dict) -> str:
    return f"cell-{cell['quirk']}--{cell['target']}".replace("@", "-at-")


def panel(dom: str) -> tuple[str, str]:
    """The detail panel's opening tag and its body's markup."""
    match = re.search(r'(<aside id="panel"[^>]*>).*?<div id="panel-body">(.*?)</div></aside>', dom, re.S)
    assert match, "no detail panel in the page"
    return match.group(1), match.group(2)


def test_a_cell_permalink_opens_its_evidence_sources_and_since_date(report_dir, tmp_path):
    cell = next(c for c in load(report_dir / "quirks.json")["cells"] if len(c["sources"]) > 1 and c["since"])
    dom, console = run_page(report_dir / "index.html", tmp_path / "profile", anchor(cell))
    opening, body = panel(dom)
    assert " hidden" not in opening and f'data-cell="{anchor(cell)}"' in opening, opening
    assert f"evidence: {cell['evidence']}" in re.sub(r"[●◐○] ", "", body)
    assert f"since {cell['since']}" in body
    for source in cell["sources"]:
        assert f'href="{source["url"]}"' in body.replace("&amp;", "&")
    assert '<div class="history"><p>History:</p><ol><li><time>' in body
    assert console == []


def test_a_provider_cell_permalink_unfolds_its_variants(report_dir, tmp_path):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    folded = re.search(r'<td class="pcell[^"]*" id="([^"]+)"[^>]*><a class="permalink"[^>]*>#</a><details>', html)
    assert folded, "no provider cell with several variants"
    dom, console = run_page(report_dir / "index.html", tmp_path / "profile", folded.group(1))
    assert re.search(rf'<td [^>]*id="{folded.group(1)}"[^>]*><a [^>]*>#</a><details open="">', dom)
    opening, _ = panel(dom)
    assert " hidden" in opening  # a provider cell unfolds in place; no variant's panel opens
    assert console == []
