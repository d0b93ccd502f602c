"""The committed reports/ (and its quirks/ detail files) is what `quirks report` makes of the cassettes, byte for byte.

Only ``generated_at`` in quirks.json may differ, and the history blocks are left out: a report
cannot name the commit that commits it, and a shallow clone has no git history (the docstring of
provider_quirks/report/history.py says more; tests/report/test_history.py checks them). When this
fails, run `quirks report` and commit reports/ with the cassettes or expectations that changed it.
The committed report includes the official SDKs' cells, so without the sdk extra (only ``.[test]``)
the check is skipped with the install command; ``.[dev]``, which CI installs, includes it.
"""

import difflib
from pathlib import Path

import pytest
from report_helpers import ROOT, load, without_history

from provider_quirks.sdk.clients import INSTALL_HINT, SDK_CLIENTS

STALE = "reports/{} is stale: run `quirks report` and commit it"
MISSING_SDKS = sorted({client.package for client in SDK_CLIENTS if not client.installed()})

pytestmark = pytest.mark.skipif(
    bool(MISSING_SDKS),
    reason=f"the committed report has SDK cells; missing {', '.join(MISSING_SDKS)}: {INSTALL_HINT}",
)


def first_differences(committed: str, fresh: str) -> str:
    lines = difflib.unified_diff(committed.splitlines(), fresh.splitlines(), "committed", "fresh", n=1, lineterm="")
    return "\n".join(line[:200] for line in list(lines)[:20])


def detail_files(report: Path) -> list[str]:
    return sorted(f"quirks/{path.name}" for path in (report / "quirks").glob("*.md"))


def test_committed_report_matches_the_cassettes(fresh_report):
    tmp_path, _ = fresh_report
    details = detail_files(tmp_path)
    committed_details = detail_files(ROOT / "reports")
    if committed_details != details:
        pytest.fail(STALE.format("quirks/") + f": committed {committed_details}, fresh {details}", pytrace=False)
    for name in ("QUIRKS.md", "index.html", *details):
        committed = ROOT / "reports" / name
        assert committed.is_file(), STALE.format(name)
        fresh = without_history((tmp_path / name).read_text(encoding="utf-8"))
        old = without_history(committed.read_text(encoding="utf-8"))
        if old != fresh:
            pytest.fail(STALE.format(name) + "\n" + first_differences(old, fresh), pytrace=False)
    assert (ROOT / "reports" / "CHANGES.md").is_file(), STALE.format("CHANGES.md")  # all history: not compared
    committed_json, fresh_json = load(ROOT / "reports" / "quirks.json"), load(tmp_path / "quirks.json")
    committed_json.pop("generated_at")
    fresh_json.pop("generated_at")
    if committed_json != fresh_json:
        pytest.fail(STALE.format("quirks.json"), pytrace=False)
