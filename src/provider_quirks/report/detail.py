"""``reports/quirks/<quirk-id>.md``: everything behind one quirk's line in QUIRKS.md.

Per provider (anchored, so the overview links land on it) and per target: the status, the
evidence, the sources, and per probe the expectation, the request as sent, the answer from the
cassette and which parts of a reconstructed answer the suite filled in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from provider_quirks.report.history import HISTORY_END, HISTORY_START, Event
from provider_quirks.report.markdown import cell_text, citation, fenced
from provider_quirks.report.model import (
    EVIDENCE_MARKS,
    GENERATED,
    STATUS_MARKS,
    CellView,
    ProbeView,
    QuirkView,
    Report,
    request_text,
)


def render_details(report: Report) -> dict[str, str]:
    """Path relative to ``reports/`` -> text, one file per quirk."""
    return {view.detail_path: render_detail(report, view) for view in report.quirks}


def render_detail(report: Report, view: QuirkView) -> str:
    quirk = view.quirk
    lines = [GENERATED, "", f"# {quirk.title}", ""]
    lines += [f"`{quirk.id}` · {quirk.category} · [all quirks](../QUIRKS.md#{quirk.id})", "", quirk.summary, ""]
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
    for provider in view.by_provider().values():
        lines += ["", f'<a id="{provider.anchor}"></a>', "", f"## {report.provider_title(provider.provider)}"]
        for cell in provider.cells:
            lines += ["", *_cell(cell)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _behaviour(cell: CellView) -> str:
    return cell.behaviour or cell.reason or ""


def _cell(cell: CellView) -> list[str]:
    head = f"### {cell.quirk} on {cell.target}: {STATUS_MARKS[cell.status]} {cell.status}"
    lines = [f'<a id="{cell.anchor}"></a>', "", head, ""]
    facts = [f"evidence: {EVIDENCE_MARKS[cell.evidence]} {cell.evidence}"]
    facts += [f"recorded {cell.recorded_at}"] if cell.recorded_at else []
    facts += [f"since {cell.since}"] if cell.since else []
    facts += [f"cassette `{cell.cassette}`"] if cell.cassette and cell.evidence != "none" else []
    lines += ["- " + ", ".join(facts)]
    if cell.reason:
        lines.append(f"- {cell.status}: {cell_text(cell.reason)}")
    lines += [f"- source: {citation(source)}" for source in cell.sources]
    lines += _history(cell)
    for probe in cell.probes:
        lines += ["", *_probe(probe)]
    return lines


def _history(cell: CellView) -> list[str]:
    """The cell's timeline, between markers: the freshness check leaves it out (``history.py`` says why)."""
    if not cell.history:
        return []
    steps = [f"  - {event.date}: {cell_text(event.text)}" + _event_link(event) for event in cell.history]
    return [HISTORY_START, "- history:", *steps, HISTORY_END]


def _event_link(event: Event) -> str:
    if not event.link:
        return ""
    return f" <{event.link}>" if event.kind == "source" else f" (`{event.link}`)"


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
