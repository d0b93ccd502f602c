"""Provider text is untrusted: an error message that is markup shows in the report as text and runs nothing.

A copy of one quirk's cassette has its error message replaced by markup that would change the
page's title if it ran. ``quirks report`` replays it (the cell drifts, so the message also shows
in the mismatch) and writes index.html; Chromium opens the page. Two controls show the check can
fail: the same markup put into the page raw runs when the page has no policy, and is blocked
(and reported by the self-test) when the page keeps its own.
"""

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from chromium import require_chromium, run_page, verdict, with_policy_for_its_scripts
from report_helpers import ROOT, quirks

from provider_quirks.report.html import script_json

QUIRK_MODULE = "unknown_params"
QUIRK_ID = "unknown-params"
TARGET = "mistral@mistral-small-latest"
QUOTED_MESSAGE = "Extra inputs are not permitted"
#: Each part appends to document.title if it ever runs; the page's title is fixed text otherwise.
HOSTILE = "<img src=x onerror=document.title+='|img'> </script><script>document.title+='|script'</script> <!--"
TITLE = "Provider quirks: the compatibility matrix"


@pytest.fixture(autouse=True)
def chromium_present():
    require_chromium()


def replace_strings(value, old: str, new: str) -> tuple[object, int]:
    """``value`` with every string equal to ``old`` replaced, and how many were."""
    if isinstance(value, dict):
        pairs = [(key, replace_strings(item, old, new)) for key, item in value.items()]
        return {key: item for key, (item, _) in pairs}, sum(count for _, (_, count) in pairs)
    if isinstance(value, list):
        items = [replace_strings(item, old, new) for item in value]
        return [item for item, _ in items], sum(count for _, count in items)
    return (new, 1) if value == old else (value, 0)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    """index.html of a project whose one cassette quotes a hostile error message."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "quirks").mkdir()
    for suffix in (".py", ".yaml"):
        shutil.copy(ROOT / "quirks" / f"{QUIRK_MODULE}{suffix}", root / "quirks")
    cassette = root / "cassettes" / QUIRK_ID / f"{TARGET}.yaml"
    cassette.parent.mkdir(parents=True)
    data = yaml.safe_load((ROOT / "cassettes" / QUIRK_ID / f"{TARGET}.yaml").read_text(encoding="utf-8"))
    data, replaced = replace_strings(data, QUOTED_MESSAGE, HOSTILE)
    assert replaced, f"the cassette no longer quotes {QUOTED_MESSAGE!r}: pick another message"
    cassette.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = root / "reports"
    done = quirks("report", "--out", str(out), cwd=root)
    assert done.returncode == 0, done.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert HOSTILE not in html  # escaped wherever it went
    return out / "index.html"


def title(dom: str) -> str:
    match = re.search(r"<title>(.*?)</title>", dom, re.S)
    return match.group(1) if match else ""


class Text(HTMLParser):
    """The page's text as a reader sees it: tags dropped, character references decoded."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.feed(dom)
        self.close()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def __str__(self) -> str:
        return "".join(self.parts)


def test_a_hostile_error_message_is_shown_as_text_and_runs_nothing(hostile_report, tmp_path):
    dom, console = run_page(hostile_report, tmp_path / "profile")
    assert title(dom) == TITLE
    assert HOSTILE in str(Text(dom))
    assert "<img" not in dom
    assert verdict(dom) == "PASS"  # no script error, nothing blocked by the policy
    assert console == []


def test_a_hostile_message_opened_in_the_detail_panel_stays_text(hostile_report, tmp_path):
    """The panel copies a cell's detail into itself: the copy keeps the text as text."""
    html = hostile_report.read_text(encoding="utf-8")
    detail = rf'<section class="cell-detail" id="([^"]+)" data-quirk="{QUIRK_ID}" data-target="{TARGET}"'
    anchor = re.search(detail, html)
    assert anchor, "the hostile cell has no detail section"
    opener = f"<script>window.quirksReport.openPanel({json.dumps(anchor.group(1))});</script></body>"
    page = tmp_path / "index.html"
    page.write_text(with_policy_for_its_scripts(html.replace("</body>", opener, 1)), encoding="utf-8")
    dom, _ = run_page(page, tmp_path / "profile")
    assert title(dom) == TITLE
    assert "<img" not in dom
    assert verdict(dom) == "PASS"


def test_markup_that_escaped_escaping_is_blocked_by_the_page_policy(hostile_report, tmp_path):
    html = hostile_report.read_text(encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text(html.replace("</body>", HOSTILE + "</body>", 1), encoding="utf-8")
    dom, _ = run_page(page, tmp_path / "profile")
    assert title(dom) == TITLE
    assert verdict(dom).startswith("FAIL") and "blocked by the page policy" in verdict(dom), verdict(dom)


def test_without_the_policy_the_same_markup_runs(hostile_report, tmp_path):
    """The control: the title check sees a script that ran."""
    html = hostile_report.read_text(encoding="utf-8")
    unguarded = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, count=1)
    page = tmp_path / "index.html"
    page.write_text(unguarded.replace("</body>", HOSTILE + "</body>", 1), encoding="utf-8")
    dom, _ = run_page(page, tmp_path / "profile")
    assert "|script" in title(dom) and "|img" in title(dom), title(dom)


def test_data_embedded_in_a_script_element_cannot_close_it():
    data = {"message": HOSTILE}
    embedded = script_json(data)
    assert "<" not in embedded
    assert json.loads(embedded) == data
