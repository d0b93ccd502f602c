"""``reports/QUIRKS.md``: the onboarding read, one screen per few quirks, kept under ``MAX_LINES``.

It holds what a newcomer needs in ten minutes: two overview matrices (the HTTP APIs, then the
official SDKs) with one column per provider and its variants folded into the cell, then per quirk
the folklore claim, today's truth in one line per provider, and the workaround with the status of
its own probe. Requests, answers and sources live in the per-quirk detail files (``detail.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from provider_quirks.report.finish_reasons import finish_reason_table
from provider_quirks.report.gateway import gateway_differences
from provider_quirks.report.model import (
    EVIDENCE_MARKS,
    EVIDENCE_MEANINGS,
    GENERATED,
    STATUS_MARKS,
    Citation,
    ProviderCell,
    QuirkView,
    Report,
)
from provider_quirks.results import EVIDENCE, STATUSES

#: The promise to the reader: QUIRKS.md stays a ten-minute read (tests/report/test_quirks_md.py).
MAX_LINES = 800


def cell_text(text: str) -> str:
    """Text safe inside a Markdown table cell or on one list line."""
    return " ".join(text.split()).replace("|", "\\|")


def fenced(text: str, language: str = "") -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{language}\n{text}\n{fence}"


def citation(source: Citation) -> str:
    return f"<{source.url}>" + (f" ({source.date})" if source.date else "")


def render_markdown(report: Report) -> str:
    parts = [GENERATED, "", "# Provider quirks", "", *_intro(report), ""]
    parts += [*_matrix(report, sdk=False), "", *_matrix(report, sdk=True), "", *_legend(), ""]
    parts += [*_summary(report), "", *_gateway(report), *finish_reason_table(report), "## Quirks", ""]
    for view in report.quirks:
        parts += [*_quirk(report, view), ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def _gateway(report: Report) -> list[str]:
    """Where LiteLLM's answer differs in form from the same llama-server's, probe by probe."""
    differences = gateway_differences(report)
    if not differences:
        return []
    lines = [
        "## What the gateway changes",
        "",
        "The same requests, sent to llama-server directly and through LiteLLM's proxy in front of it "
        "(sample values such as text and token counts are not compared):",
        "",
    ]
    grouped: dict[tuple[str, str], dict[str, list[str]]] = {}  # (API, change) -> quirk -> probes
    for found in differences:
        changes = "; ".join(f"{key} {before!r} → {after!r}" for key, (before, after) in found.fields.items())
        api = report.provider_title(found.gateway.partition("@")[0])
        grouped.setdefault((api, changes), {}).setdefault(found.quirk, []).append(found.probe)
    for (api, changes), probes in grouped.items():
        where = ", ".join(f"[`{quirk}`](#{quirk}) ({', '.join(ids)})" for quirk, ids in probes.items())
        lines.append(f"- **{api}**: {cell_text(changes)}, on {where}")
    return [*lines, ""]


def _intro(report: Report) -> list[str]:
    tokens = report.tokens()
    if tokens.live:
        spent = f"This live run used {tokens.input} input and {tokens.output} output tokens ({tokens.cells} cells)."
    else:
        spent = (
            f"Tokens in the recorded answers: {tokens.input} input, {tokens.output} output ({tokens.cells} recorded "
            "cells); this is what re-recording them costs, roughly."
        )
    return [
        "What each LLM provider's HTTP API does with the requests that trip people up, checked by "
        f"provider-quirks {report.suite_version} ({report.mode} run). Each cell is one quirk on one provider; "
        "its marks say, per variant (model or API version), whether the documented behaviour holds and what "
        "evidence backs it. Each quirk's requests, answers and sources are in its detail file under "
        "[`quirks/`](quirks/); `index.html` shows everything on one page, and [`CHANGES.md`](CHANGES.md) "
        "lists the cells that changed, the newest first.",
        "",
        spent,
    ]


def _matrix(report: Report, sdk: bool) -> list[str]:
    views = [view for view in report.quirks if view.is_sdk == sdk]
    columns = report.columns(sdk)
    if not views:
        return []
    title = "## The official SDKs" if sdk else "## Overview: the HTTP APIs"
    lines = [title, "", "| quirk | " + " | ".join(report.provider_title(p) for p in columns) + " |"]
    lines.append("|---|" + ":-:|" * len(columns))
    for view in views:
        cells = view.by_provider()
        row = [f"[{view.quirk.title}](#{view.quirk.id})"]
        row += [_matrix_cell(view, cells[p]) if p in cells else "" for p in columns]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _matrix_cell(view: QuirkView, cell: ProviderCell) -> str:
    return f"[{cell.folded()}]({view.detail_path}#{cell.anchor})"


def _legend() -> list[str]:
    statuses = ", ".join(f"{STATUS_MARKS[s]} {s}" for s in STATUSES)
    evidence = "; ".join(f"{EVIDENCE_MARKS[v]} {v}: {EVIDENCE_MEANINGS[v]}" for v in EVIDENCE)
    return [
        f"Legend: a status mark ({statuses}), then an evidence mark ({evidence}). `×2`: two of the "
        "provider's variants have those marks. Empty: the provider is not a target of that quirk.",
    ]


def _summary(report: Report) -> list[str]:
    statuses = report.status_counts()
    evidence = report.evidence_counts()
    lines = ["## Cells per provider", ""]
    lines.append("| provider | " + " | ".join(f"{STATUS_MARKS[s]} {s}" for s in STATUSES) + " | ")
    lines[-1] += " | ".join(f"{EVIDENCE_MARKS[e]} {e}" for e in EVIDENCE) + " |"
    lines.append("|---|" + "---:|" * (len(STATUSES) + len(EVIDENCE)))
    for provider, counts in statuses.items():
        name = "**all**" if provider == "all" else provider
        values = [str(counts[s]) for s in STATUSES] + [str(evidence[provider][e]) for e in EVIDENCE]
        lines.append(f"| {name} | " + " | ".join(values) + " |")
    return lines


def _quirk(report: Report, view: QuirkView) -> list[str]:
    quirk = view.quirk
    lines = [f'<a id="{quirk.id}"></a>', "", f"### {quirk.title}", ""]
    lines += [f"`{quirk.id}` · {quirk.category} · [requests, answers and sources]({view.detail_path})", ""]
    lines += [f"**Folklore:** {cell_text(quirk.claim or quirk.summary)}", "", "**Today:**", ""]
    cells = list(view.by_provider().values())
    lines += [_today(report, view, cell) for cell in cells if _shown(cell)]
    for status in ("pending", "n/a"):
        quiet = [cell for cell in cells if {c.status for c in cell.cells} == {status}]
        if quiet:
            names = ", ".join(f"[{report.provider_title(c.provider)}]({view.detail_path}#{c.anchor})" for c in quiet)
            lines.append(f"- {STATUS_MARKS[status]} {status} on every target of {names} (reasons in the detail)")
    lines += ["", f"**Workaround:** {cell_text(quirk.workaround)} {_workaround_check(view)}"]
    return lines


def _shown(cell: ProviderCell) -> bool:
    """A provider gets its own line when something is known there: not for all-pending or all-n/a cells."""
    return {c.status for c in cell.cells} not in ({"pending"}, {"n/a"})


def _today(report: Report, view: QuirkView, cell: ProviderCell) -> str:
    """One line for one provider: each group of agreeing variants, its marks and what they showed."""
    groups = [
        f"{stands_for.mark} {stands_for.status} on {', '.join(variants)}: {stands_for.truth}"
        for variants, stands_for in cell.groups()
    ]
    name = f"[{report.provider_title(cell.provider)}]({view.detail_path}#{cell.anchor})"
    return f"- **{name}**: " + cell_text(" · ".join(groups))


def _workaround_check(view: QuirkView) -> str:
    if not any(probe.shows_workaround for probe in view.quirk.probes):
        return "_(no probe of its own)_"
    tally = view.workaround_tally()
    if not tally:  # e.g. SDK cells without the sdk extra: the probe exists, nothing ran it here
        return "_Its probe: not run in this report._"
    return "_Its probe: " + ", ".join(_counted(tally.items())) + "._"


def _counted(items: Iterable[tuple[str, int]]) -> list[str]:
    order: dict[str, int] = {status: index for index, status in enumerate(STATUSES)}
    return [f"{STATUS_MARKS[status]} {status} ×{count}" for status, count in sorted(items, key=lambda i: order[i[0]])]
