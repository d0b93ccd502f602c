"""QUIRKS.md's mapping table: the finish reason each target gave to each probe of ``finish-reasons``.

That quirk pins the reason itself (``quirks/finish_reasons.py``), so its observed values can stand
side by side: one row per target that answered at least one probe, one column per probe. The words
are read from the observations, never from a list of what each API documents.
"""

from __future__ import annotations

from provider_quirks.report.model import EVIDENCE_MARKS, CellView, QuirkView, Report

QUIRK_ID = "finish-reasons"
#: Shown where a probe has no observed finish reason (pending, n/a, or an answer without one).
NONE = "–"


def observed_reasons(cell: CellView) -> dict[str, str]:
    """Probe id -> the finish reason its observed answer gave."""
    found = {}
    for probe in cell.probes:
        reason = (probe.observed or {}).get("finish_reason")
        if reason is not None:
            found[probe.id] = str(reason)
    return found


def finish_reason_table(report: Report) -> list[str]:
    """The section, or nothing when the report has no ``finish-reasons`` quirk or no answer to it."""
    view = next((v for v in report.quirks if v.quirk.id == QUIRK_ID), None)
    if view is None:
        return []
    rows = [_row(view, cell) for cell in view.cells if observed_reasons(cell)]
    if not rows:
        return []
    probes = [probe.id for probe in view.quirk.probes]
    return [
        "## Finish reasons, per target",
        "",
        f"The finish reason (Responses API: `status`) each target answered to each probe of [`{QUIRK_ID}`]"
        f"(#{QUIRK_ID}); {NONE} where no answer gives one. Targets with no answer yet are left out.",
        "",
        "| target | " + " | ".join(probes) + " |",
        "|---|" + "---|" * len(probes),
        *rows,
        "",
    ]


def _row(view: QuirkView, cell: CellView) -> str:
    reasons = observed_reasons(cell)
    name = f"[`{cell.target}`]({view.detail_path}#{cell.anchor}) {EVIDENCE_MARKS[cell.evidence]}"
    values = [_code(reasons[probe.id]) if probe.id in reasons else NONE for probe in view.quirk.probes]
    return f"| {name} | " + " | ".join(values) + " |"


def _code(text: str) -> str:
    """A server's word as code inside a table cell: one line, no backtick, its pipes escaped."""
    return "`" + " ".join(text.split()).replace("`", "'").replace("|", "\\|") + "`"
