"""``reports/CHANGES.md``: the cells that changed, the newest first, for the team that opens the report after a drift.

A change is a commit that touched a cell's cassette or its expectation (when git history is
present), or, from the tree alone, a probe's ``since`` date and a live recording. The whole file is
history, so the freshness check leaves it out (``history.py`` says why).
"""

from __future__ import annotations

from provider_quirks.report.history import Event
from provider_quirks.report.markdown import cell_text
from provider_quirks.report.model import GENERATED, STATUS_MARKS, CellView, QuirkView, Report

#: Events that are a change of the cell (a source's date is first evidence, not a change).
CHANGE_KINDS = ("since", "recorded", "commit")


def changes(report: Report) -> list[tuple[Event, QuirkView, CellView]]:
    """Every change of every cell, newest first (then by quirk and target, so the order is stable)."""
    found = [
        (event, view, cell)
        for view in report.quirks
        for cell in view.cells
        for event in cell.history
        if event.kind in CHANGE_KINDS
    ]
    found.sort(key=lambda item: (item[2].quirk, item[2].target, item[0].key()))
    found.sort(key=lambda item: (item[0].date, item[0].order), reverse=True)  # stable: ties keep the order above
    return found


def render_changes(report: Report) -> str:
    lines = [GENERATED, "", "# Changes", ""]
    lines += [f"The cells whose evidence or expectation changed, the newest first; from {report.history_source}.", ""]
    for event, view, cell in changes(report):
        link = f" (`{event.link}`)" if event.link else ""
        lines.append(
            f"- {event.date} · [{view.quirk.title} on {cell.target}]({view.detail_path}#{cell.anchor}) "
            f"{STATUS_MARKS[cell.status]} {cell.status}: {cell_text(event.text)}{link}"
        )
    return "\n".join(lines) + "\n"
