"""QUIRKS.md's finish-reason table lists, per target and probe, the reason its committed answer gave.

The expected words come from quirks/finish_reasons.yaml, whose expectations pin the finish reason
exactly (the quirk's ``pinned``) and hold on the committed cassettes, so a table that dropped,
moved or misread a value fails here.
"""

import re

from report_helpers import ROOT

from provider_quirks.report.finish_reasons import NONE, QUIRK_ID
from provider_quirks.yamlio import load_yaml

ROW = re.compile(r"^\| \[`(?P<target>[^`]+)`\]\([^)]*\) \S+ \| (?P<values>.*) \|$")


def expected_reasons() -> dict[str, dict[str, str]]:
    """Target -> probe -> the finish reason its expectation pins, for every cell that pins one."""
    data = load_yaml((ROOT / "quirks" / "finish_reasons.yaml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {}
    for target, cell in data["cells"].items():
        for probe, entry in (cell.get("probes") or {}).items():
            reason = (entry.get("expect") or {}).get("finish_reason")
            if isinstance(reason, str):
                found.setdefault(target, {})[probe] = reason
    return found


def table(markdown: str) -> tuple[list[str], dict[str, list[str]]]:
    """The table's probe columns, and each row's cells by target."""
    section = markdown.split("## Finish reasons, per target", 1)[1].split("\n## ", 1)[0]
    header = next(line for line in section.splitlines() if line.startswith("| target |"))
    columns = [cell.strip() for cell in header.strip("|").split("|")][1:]
    rows = {}
    for line in section.splitlines():
        if match := ROW.match(line):
            rows[match["target"]] = [cell.strip() for cell in match["values"].split(" | ")]
    return columns, rows


def test_the_table_lists_each_recorded_finish_reason(report_dir):
    markdown = (report_dir / "QUIRKS.md").read_text(encoding="utf-8")
    assert f"(#{QUIRK_ID})" in markdown
    columns, rows = table(markdown)
    assert columns == ["natural-stop", "cap-reached", "tool-call", "stop-sequence"]
    expected = expected_reasons()
    assert len(expected) >= 3 and set(rows) == set(expected)
    for target, reasons in expected.items():
        shown = dict(zip(columns, rows[target], strict=True))
        assert shown == {probe: f"`{reasons[probe]}`" if probe in reasons else NONE for probe in columns}, target


def test_the_table_shows_where_servers_part_from_their_api(report_dir):
    """The recorded words that make the table worth reading: each differs from its API's reference word."""
    _, rows = table((report_dir / "QUIRKS.md").read_text(encoding="utf-8"))
    # llama-server's Anthropic endpoint ends at a stop sequence with end_turn, not stop_sequence.
    assert rows["anthropic_compatible@llama-server"][3] == "`end_turn`"
    # LiteLLM's Anthropic bridge answers a cap of 1 as a natural end.
    assert rows["anthropic_compatible@litellm"][1] == "`end_turn`"
    # llama-server's Responses endpoint calls an answer cut at 1 token completed.
    assert rows["responses_compatible@llama-server"][1] == "`completed`"
