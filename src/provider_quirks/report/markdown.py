"""``reports/QUIRKS.md``: the matrix and one section per quirk, for reading on GitHub."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from provider_quirks.report.model import (
    EVIDENCE_MARKS,
    EVIDENCE_MEANINGS,
    GENERATED,
    STATUS_MARKS,
    STATUS_MEANINGS,
    CellView,
    Citation,
    ProbeView,
    QuirkView,
    Report,
    request_text,
)
from provider_quirks.results import EVIDENCE, STATUSES


def cell_text(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def fenced(text: str, language: str = "") -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{language}\n{text}\n{fence}"


def citation(source: Citation) -> str:
    return f"<{source.url}>" + (f" ({source.date})" if source.date else "")


def mark(cell: CellView) -> str:
    return f"{STATUS_MARKS[cell.status]}{EVIDENCE_MARKS[cell.evidence]}"


def render_markdown(report: Report) -> str:
    parts = [GENERATED, "", "# Provider quirks", "", *_intro(report), "", *_matrix(report), "", *_legend(), ""]
    parts += [*_summary(report), "", *_providers(report), ""]
    for view in report.quirks:
        parts += [*_quirk(view), ""]
    return "\n".join(parts).rstrip("\n") + "\n"


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
        f"provider-quirks {report.suite_version} ({report.mode} run). Each cell is one quirk on one target "
        "(provider@model or API version); its mark says whether the documented behaviour holds, and "
        "what evidence backs it.",
        "",
        spent,
    ]


def _matrix(report: Report) -> list[str]:
    header = "| quirk | " + " | ".join(t.replace("@", "<br>@") for t in report.targets) + " |"
    lines = ["## Matrix", "", header, "|---|" + "---|" * len(report.targets)]
    for view in report.quirks:
        cells = {cell.target: cell for cell in view.cells}
        row = [f"[{view.quirk.title}](#{view.quirk.id})"]
        for target in report.targets:
            cell = cells.get(target)
            row.append(f"[{mark(cell)} {cell.headline}](#{cell.anchor})".replace(" ]", "]") if cell else "")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _legend() -> list[str]:
    lines = ["Legend: each cell shows a status mark, an evidence mark and the HTTP status(es) observed.", ""]
    lines += [f"- {STATUS_MARKS[s]} `{s}`: {STATUS_MEANINGS[s]}" for s in STATUSES]
    lines += [f"- {EVIDENCE_MARKS[e]} {e}: {EVIDENCE_MEANINGS[e]}" for e in EVIDENCE]
    lines.append("- empty: the target is not part of this quirk")
    return lines


def _summary(report: Report) -> list[str]:
    statuses = report.status_counts()
    evidence = report.evidence_counts()
    lines = ["## Summary", ""]
    lines.append("| provider | " + " | ".join(f"{STATUS_MARKS[s]} {s}" for s in STATUSES) + " | ")
    lines[-1] += " | ".join(f"{EVIDENCE_MARKS[e]} {e}" for e in EVIDENCE) + " |"
    lines.append("|---|" + "---:|" * (len(STATUSES) + len(EVIDENCE)))
    for provider, counts in statuses.items():
        name = "**all**" if provider == "all" else provider
        values = [str(counts[s]) for s in STATUSES] + [str(evidence[provider][e]) for e in EVIDENCE]
        lines.append(f"| {name} | " + " | ".join(values) + " |")
    return lines


def _providers(report: Report) -> list[str]:
    lines = ["## By provider"]
    for view in report.provider_views():
        lines += ["", f"### Everything that is different about {view.title}", ""]
        lines += [
            f"- [{quirk.quirk.title}](#{cell.anchor}) on `{cell.variant}`: {mark(cell)} {cell.status}: "
            f"{cell_text(cell.behaviour)}"
            for quirk, cell in view.known
        ] or ["- No quirk has evidence on this provider yet."]
        if view.pending:
            lines += ["", "Not known yet: " + ", ".join(view.pending) + "."]
    return lines


def _quirk(view: QuirkView) -> list[str]:
    quirk = view.quirk
    lines = [f'<a id="{quirk.id}"></a>', "", f"## {quirk.title}", ""]
    lines += [f"`{quirk.id}` · {quirk.category}", "", quirk.summary, ""]
    lines += [f"**Why it matters.** {quirk.why_it_matters}", "", f"**Workaround.** {quirk.workaround}", ""]
    if quirk.claim:
        lines += [f"**The note said:** {quirk.claim}", ""]
    lines += ["**Today:**", "", "| target | status | evidence | behaviour | since |", "|---|---|---|---|---|"]
    for cell in view.cells:
        lines.append(
            f"| [{cell.target}](#{cell.anchor}) | {STATUS_MARKS[cell.status]} {cell.status} | "
            f"{EVIDENCE_MARKS[cell.evidence]} {cell.evidence} | {cell_text(_behaviour(cell))} | {cell.since or ''} |"
        )
    if quirk.sources:
        lines += ["", "Sources: " + ", ".join(f"<{url}>" for url in quirk.sources)]
    for cell in view.cells:
        lines += ["", *_cell(cell)]
    return lines


def _behaviour(cell: CellView) -> str:
    return cell.behaviour or cell.reason or ""


def _cell(cell: CellView) -> list[str]:
    head = f"### {cell.quirk} on {cell.target}: {STATUS_MARKS[cell.status]} {cell.status}"
    lines = [f'<a id="{cell.anchor}"></a>', "", head, ""]
    facts = [f"evidence: {EVIDENCE_MARKS[cell.evidence]} {cell.evidence}"]
    facts += [f"recorded {cell.recorded_at}"] if cell.recorded_at else []
    facts += [f"cassette `{cell.cassette}`"] if cell.cassette and cell.evidence != "none" else []
    lines += ["- " + ", ".join(facts)]
    if cell.reason:
        lines.append(f"- {cell.status}: {cell_text(cell.reason)}")
    lines += [f"- source: {citation(source)}" for source in cell.sources]
    for probe in cell.probes:
        lines += ["", *_probe(probe)]
    return lines


def _probe(probe: ProbeView) -> list[str]:
    role = " (workaround)" if probe.workaround else ""
    head = f"- probe `{probe.id}`{role}: {probe.summary}. **{STATUS_MARKS[probe.status]} {probe.status}**"
    head += f" since {probe.since}" if probe.since else ""
    head += f": {cell_text(probe.reason)}" if probe.reason and not probe.observed else ""
    lines = [head]
    if probe.expected is not None:
        lines += [f"  - expected: `{_compact(probe.expected)}`"]
    if probe.observed:
        lines += [f"  - observed: {probe.behaviour}"]
    lines += [f"  - {cell_text(m)}" for m in probe.mismatches]
    if probe.request is not None and probe.observed:
        lines += ["", _indent(fenced(request_text(probe.request), "http"))]
    if probe.answer:
        cut = " (excerpt)" if probe.answer.truncated else ""
        lines += ["", f"  Answer from the cassette, HTTP {probe.answer.status}{cut}:", ""]
        lines.append(_indent(fenced(probe.answer.text, "json" if "json" in probe.answer.content_type else "")))
    if probe.parts:
        lines += ["", f"  Answer parts: {probe.parts.describe()}."]
    if probe.source:
        note = f": {cell_text(probe.source_note)}" if probe.source_note else ""
        lines += ["", f"  Source: {citation(probe.source)}{note}"]
    return lines


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": ")).replace("`", "'")


def _indent(text: str) -> str:
    return "\n".join(_indented(text.splitlines()))


def _indented(lines: Iterable[str]) -> Iterable[str]:
    for line in lines:
        yield f"  {line}" if line else ""
