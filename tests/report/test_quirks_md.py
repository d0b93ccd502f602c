"""QUIRKS.md is a ten-minute read: short, one line per provider, and every quirk linked to its detail file.

Bodies, requests and answers live in ``reports/quirks/<quirk-id>.md``; the overview's links land
on an anchor that exists there. ``quirks report`` removes the detail file of a quirk that is gone.
"""

import re

from report_helpers import ROOT, load, quirks

from provider_quirks.catalog import load_catalog
from provider_quirks.providers import PROVIDERS
from provider_quirks.sdk.clients import SDK_TARGETS

LINK = re.compile(r"\]\((quirks/[^)#]+\.md)(?:#([^)]+))?\)")


def section(markdown: str, quirk: str) -> str:
    start = markdown.index(f'<a id="{quirk}"></a>')
    end = markdown.find('<a id="', start + 1)
    return markdown[start : end if end != -1 else len(markdown)]


def test_quirks_md_is_short_and_holds_no_bodies(report_dir):
    markdown = (report_dir / "QUIRKS.md").read_text(encoding="utf-8")
    assert len(markdown.splitlines()) <= 800
    assert "```" not in markdown and "Answer parts:" not in markdown and "Answer from the cassette" not in markdown


def test_every_quirk_links_to_an_existing_detail_file(report_dir):
    markdown = (report_dir / "QUIRKS.md").read_text(encoding="utf-8")
    for entry in load_catalog(ROOT / "quirks"):
        quirk = entry.quirk
        assert f"[requests, answers and sources](quirks/{quirk.id}.md)" in section(markdown, quirk.id)
        assert (report_dir / "quirks" / f"{quirk.id}.md").is_file(), quirk.id
    links = LINK.findall(markdown)
    assert len(links) > len(load_catalog(ROOT / "quirks"))
    for path, anchor in links:
        detail = (report_dir / path).read_text(encoding="utf-8")
        assert not anchor or f'<a id="{anchor}"></a>' in detail, (path, anchor)


def test_every_provider_once_and_the_workaround_check(report_dir):
    """A line per provider where something is known; the all-pending and all-n/a ones share one line each."""
    markdown = (report_dir / "QUIRKS.md").read_text(encoding="utf-8")
    titles = {name: provider.title for name, provider in PROVIDERS.items()}
    for entry in load_catalog(ROOT / "quirks"):
        quirk = entry.quirk
        text = section(markdown, quirk.id)
        providers = {target.split("@", 1)[0] for target in quirk.targets}
        today = [line for line in text.splitlines() if line.startswith("- **[")]
        grouped = [line for line in text.splitlines() if re.match(r"- \S+ (pending|n/a) on every target of ", line)]
        assert len(grouped) <= 2, quirk.id
        named = [title for line in today + grouped for title in re.findall(r"\[([^\]]+)\]\(quirks/", line)]
        assert sorted(named) == sorted(titles.get(name, name) for name in providers), quirk.id
        assert f"**Folklore:** {(quirk.claim or quirk.summary).split()[0]}" in text
        workaround = next(line for line in text.splitlines() if line.startswith("**Workaround:**"))
        has_probe = any(probe.shows_workaround for probe in quirk.probes)
        assert ("_Its probe: " in workaround) == has_probe, quirk.id


def test_sdk_quirks_have_a_matrix_of_their_own(report_dir):
    markdown = (report_dir / "QUIRKS.md").read_text(encoding="utf-8")
    rest, sdk = markdown.split("## Overview: the HTTP APIs", 1)[1].split("## The official SDKs", 1)
    sdk = sdk.split("\n\n", 2)[1]
    rest_rows = {m for m in re.findall(r"^\| \[[^\]]+\]\(#([^)]+)\)", rest, re.M)}
    sdk_rows = {m for m in re.findall(r"^\| \[[^\]]+\]\(#([^)]+)\)", sdk, re.M)}
    sdk_quirks = {e.quirk.id for e in load_catalog(ROOT / "quirks") if set(e.quirk.targets) <= set(SDK_TARGETS)}
    assert sdk_rows == sdk_quirks and sdk_quirks
    assert rest_rows == {e.quirk.id for e in load_catalog(ROOT / "quirks")} - sdk_quirks
    rest_columns = rest.strip().splitlines()[0].count("|") - 2
    assert rest_columns == len({t["provider"] for t in load(report_dir / "quirks.json")["targets"]}) - len(
        {t.split("@")[0] for t in SDK_TARGETS}
    )


def test_a_stale_detail_file_is_removed(committed_results, tmp_path):
    out = tmp_path / "reports"
    (out / "quirks").mkdir(parents=True)
    (out / "quirks" / "a-quirk-that-is-gone.md").write_text("old\n", encoding="utf-8")
    done = quirks("report", "--results", str(committed_results), "--out", str(out))
    assert done.returncode == 0, done.stderr
    names = sorted(path.name for path in (out / "quirks").iterdir())
    assert names == sorted(f"{entry.quirk.id}.md" for entry in load_catalog(ROOT / "quirks"))
