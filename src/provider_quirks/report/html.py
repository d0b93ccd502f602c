"""``reports/index.html``: one self-contained page, readable without JavaScript.

Everything is rendered on the server side: the overview (providers as columns, each provider's
variants unfolding inside its cell through ``<details>``), the per-provider view and a detail
section per cell, each variant linking to its detail. The page fits a 1366 px laptop screen: the
overview has a fixed layout at the viewport's width, and long words wrap. The script adds the
filters, the search box, the detail panel and permalinks (``#cell-…`` opens a variant's detail,
``#p-…`` unfolds a provider's cell). ``index.html#selftest`` runs them and measures the layout,
and writes PASS or the failures (and any script error) into the page, for the headless-browser check.

Provider text (error messages, answers) is untrusted: it is escaped wherever it goes, and the
page's Content-Security-Policy runs only the page's own scripts, named by their hashes, so text
that became markup by mistake still could not run (``tests/report/test_hostile_text.py``).

It is one page, and its sections share the escaping and the anchors, hence one module over 300
lines; its CSS and script live apart (``report.assets``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from html import escape
from typing import Any

from provider_quirks.report.assets import CAPTURE_JS, CSS, MAIN_JS, SELFTEST_JS
from provider_quirks.report.changes import changes
from provider_quirks.report.history import Event
from provider_quirks.report.model import (
    EVIDENCE_MARKS,
    EVIDENCE_MEANINGS,
    GENERATED,
    STATUS_MARKS,
    STATUS_MEANINGS,
    CellView,
    Citation,
    ProbeView,
    ProviderCell,
    QuirkView,
    Report,
    request_text,
)
from provider_quirks.results import EVIDENCE, STATUSES


def esc(value: object) -> str:
    """Text for HTML, quotes included: every provider string goes through here (it is untrusted)."""
    return escape(str(value), quote=True)


def status_class(status: str) -> str:
    return "s-" + status.replace("/", "")


def render_html(report: Report) -> str:
    body = [
        "<header>",
        "<h1>Provider quirks</h1>",
        f'<p class="muted">provider-quirks {esc(report.suite_version)}, {esc(report.mode)} run. Generated from the '
        "cassettes by <code>quirks report</code>; do not edit.</p>",
        f"<p>{esc(_tokens(report))}</p>",
        "</header>",
        _filters(report),
        '<h2 id="overview">Overview</h2>',
        _overview(report, sdk=False),
        _overview(report, sdk=True),
        _legend(),
        _summary(report),
        _changes(report),
        _providers(report),
        '<h2 id="quirks">Quirks</h2>',
        *(_quirk(view) for view in report.quirks),
        '<aside id="panel" hidden aria-label="cell detail"><button type="button" id="panel-close" '
        'aria-label="close">×</button><div id="panel-body"></div></aside>',
        f'<script type="application/json" id="expected-counts">{script_json(_expected_counts(report))}</script>',
        f"<script>{MAIN_JS}</script>",
        f"<script>{SELFTEST_JS}</script>",
    ]
    head = [
        "<!DOCTYPE html>",
        GENERATED,
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(content_security_policy(SCRIPTS, [CSS]))}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Provider quirks: the compatibility matrix</title>",
        f"<script>{CAPTURE_JS}</script>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"


#: The page's own scripts: the only ones its policy lets run (a script missing here is blocked).
SCRIPTS = (CAPTURE_JS, MAIN_JS, SELFTEST_JS)


def content_security_policy(scripts: Iterable[str], styles: Iterable[str]) -> str:
    """Nothing loads; only these exact inline scripts and styles run or apply (by sha256, no 'unsafe-inline')."""
    return (
        f"default-src 'none'; script-src {_hashes(scripts)}; style-src {_hashes(styles)}; "
        "base-uri 'none'; form-action 'none'"
    )


def _hashes(texts: Iterable[str]) -> str:
    digests = (base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") for text in texts)
    return " ".join(f"'sha256-{digest}'" for digest in digests)


def script_json(data: Any) -> str:
    """JSON to embed in a ``<script>`` element: every ``<`` escaped, so no ``</script>`` or ``<!--`` can occur."""
    return json.dumps(data, sort_keys=True).replace("<", "\\u003c")


def _tokens(report: Report) -> str:
    tokens = report.tokens()
    if tokens.live:
        return f"This live run used {tokens.input} input and {tokens.output} output tokens ({tokens.cells} cells)."
    return (
        f"Tokens in the recorded answers: {tokens.input} input, {tokens.output} output ({tokens.cells} recorded cells)."
    )


def _options(name: str, label: str, values: list[str]) -> str:
    options = ['<option value="">all</option>', *(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)]
    return f'<label>{esc(label)}<select id="f-{name}">{"".join(options)}</select></label>'


def _filters(report: Report) -> str:
    return "".join(
        [
            '<form id="filters" hidden>',
            '<label>search<input type="search" id="f-search" placeholder="quirk, field, model"></label>',
            _options("provider", "provider", report.providers()),
            _options("category", "category", report.categories()),
            _options("status", "status", list(STATUSES)),
            _options("evidence", "evidence", list(EVIDENCE)),
            '<button type="button" id="f-reset">reset</button><span id="shown"></span>',
            "</form>",
        ]
    )


def _legend() -> str:
    statuses = "".join(
        f'<li><span class="badge {status_class(s)}">{STATUS_MARKS[s]} {esc(s)}</span> {esc(STATUS_MEANINGS[s])}</li>'
        for s in STATUSES
    )
    evidence = "".join(f"<li>{EVIDENCE_MARKS[v]} <b>{esc(v)}</b>: {esc(EVIDENCE_MEANINGS[v])}</li>" for v in EVIDENCE)
    return (
        '<section class="legend" id="legend"><h2>Legend</h2>'
        "<p>Each cell is one provider: a status mark and an evidence mark per variant (model or API version), "
        "folded as <code>✓◐×2</code> when several variants have the same marks; open it to see each variant and "
        "its HTTP status(es). An empty cell: the provider is not a target of that quirk. Click a variant for its "
        "evidence, sources, since date, requests and answers; <code>#</code> is the cell's permalink.</p>"
        f"<ul>{statuses}</ul><ul>{evidence}</ul></section>"
    )


def _overview(report: Report, sdk: bool) -> str:
    """Providers as columns, a quirk per row; a provider's variants unfold inside its cell."""
    views = [view for view in report.quirks if view.is_sdk == sdk]
    columns = report.columns(sdk)
    if not views:
        return ""
    name = "sdk" if sdk else "rest"
    caption = "the official SDKs: quirks × SDKs" if sdk else "the HTTP APIs: quirks × providers"
    head = ['<th scope="col" class="quirk-col">quirk</th>']
    head += [f'<th scope="col" data-provider="{esc(p)}">{esc(report.provider_title(p))}</th>' for p in columns]
    rows = []
    for view in views:
        cells = view.by_provider()
        quirk = view.quirk
        row = [
            f'<tr data-quirk="{esc(quirk.id)}" data-category="{esc(quirk.category)}" '
            f'data-search="{esc(search_text(view))}">',
            f'<th scope="row"><a href="#quirk-{esc(quirk.id)}">{esc(quirk.title)}</a>'
            f'<div class="cat">{esc(quirk.category)}</div></th>',
        ]
        for provider in columns:
            cell = cells.get(provider)
            row.append(_provider_cell(cell) if cell else f'<td class="blank" data-provider="{esc(provider)}"></td>')
        rows.append("".join([*row, "</tr>"]))
    return (
        f'<table class="overview" id="overview-{name}"><caption class="muted">{esc(caption)}</caption>'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )


def search_text(view: QuirkView) -> str:
    """What the search box looks in for a quirk's row: its names, texts and targets, in lower case."""
    quirk = view.quirk
    texts = [quirk.id, quirk.title, quirk.category, quirk.claim or "", quirk.summary, *quirk.targets]
    return " ".join(" ".join(texts).lower().split())


def _data(cell: CellView) -> str:
    return (
        f'data-quirk="{esc(cell.quirk)}" data-target="{esc(cell.target)}" data-provider="{esc(cell.provider)}" '
        f'data-status="{esc(cell.status)}" data-evidence="{esc(cell.evidence)}"'
    )


def _provider_cell(cell: ProviderCell) -> str:
    """One variant: its link. Several: their folded marks, unfolding into one link per variant."""
    statuses = {c.status for c in cell.cells}
    tone = status_class(statuses.pop()) if len(statuses) == 1 else "s-mixed"
    links = [_variant_link(c) for c in cell.cells]
    permalink = f'<a class="permalink" href="#{esc(cell.anchor)}" title="link to this cell">#</a>'
    if len(links) == 1:
        inner = links[0]
    else:
        items = "".join(f"<li>{link}</li>" for link in links)
        inner = f"<details><summary>{esc(cell.folded())}</summary><ul>{items}</ul></details>"
    return (
        f'<td class="pcell {tone}" id="{esc(cell.anchor)}" data-provider="{esc(cell.provider)}">{permalink}{inner}</td>'
    )


def _variant_link(cell: CellView) -> str:
    since = f", since {cell.since}" if cell.since else ""
    title = f"{cell.target}: {cell.status}, evidence {cell.evidence}{since}"
    code = f" <small>{esc(cell.headline)}</small>" if cell.headline else ""
    return (
        f'<a class="cell {status_class(cell.status)}" {_data(cell)} href="#{esc(cell.anchor)}" title="{esc(title)}">'
        f'<span class="variant">{esc(cell.variant)}</span> {cell.mark}{code}</a>'
    )


def _summary(report: Report) -> str:
    statuses = report.status_counts()
    evidence = report.evidence_counts()
    head = "".join(f'<th class="{status_class(s)}">{STATUS_MARKS[s]} {esc(s)}</th>' for s in STATUSES)
    head += "".join(f"<th>{EVIDENCE_MARKS[v]} {esc(v)}</th>" for v in EVIDENCE)
    rows = []
    for provider, counts in statuses.items():
        values = [counts[s] for s in STATUSES] + [evidence[provider][v] for v in EVIDENCE]
        name = "<b>all</b>" if provider == "all" else esc(provider)
        rows.append(f"<tr><th>{name}</th>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    return (
        '<section id="summary"><h2>Summary</h2><table><thead><tr><th>provider</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _providers(report: Report) -> str:
    sections = []
    for view in report.provider_views():
        items = [
            f'<li><a href="#{esc(cell.anchor)}">{esc(quirk.quirk.title)}</a> on <code>{esc(cell.variant)}</code> '
            f'<span class="badge {status_class(cell.status)}">{STATUS_MARKS[cell.status]}'
            f"{EVIDENCE_MARKS[cell.evidence]} {esc(cell.status)}</span>: {esc(cell.behaviour)}. "
            f'<span class="muted">Workaround: {esc(quirk.quirk.workaround)}</span></li>'
            for quirk, cell in view.known
        ]
        tally = ", ".join(f"{view.counts[s]} {s}" for s in STATUSES if view.counts[s])
        listed = "".join(items) or "<li>No quirk has evidence on this provider yet.</li>"
        pending = f'<p class="muted">Not known yet: {esc(", ".join(view.pending))}.</p>' if view.pending else ""
        sections.append(
            f'<section class="provider-view" id="provider-{esc(view.provider)}" data-provider="{esc(view.provider)}">'
            f"<h3>Everything that is different about {esc(view.title)}</h3>"
            f'<p class="muted">{esc(tally)}</p><ul>{listed}</ul>{pending}</section>'
        )
    return '<section id="providers"><h2>By provider</h2>' + "\n".join(sections) + "</section>"


def _citation(source: Citation) -> str:
    date = f" ({esc(source.date)})" if source.date else ""
    return f'<a href="{esc(source.url)}">{esc(source.url)}</a>{date}'


def _quirk(view: QuirkView) -> str:
    quirk = view.quirk
    parts = [
        f'<article class="quirk" id="quirk-{esc(quirk.id)}" data-category="{esc(quirk.category)}">',
        f'<h3>{esc(quirk.title)} <span class="muted"><code>{esc(quirk.id)}</code> · {esc(quirk.category)}</span></h3>',
        f"<p>{esc(quirk.summary)}</p>",
        f"<p><b>Why it matters.</b> {esc(quirk.why_it_matters)}</p>",
        f"<p><b>Workaround.</b> {esc(quirk.workaround)}</p>",
    ]
    if quirk.claim:
        parts.append(f"<p><b>The note said:</b> {esc(quirk.claim)}</p>")
    if quirk.sources:
        parts.append("<p>Sources: " + ", ".join(_citation(Citation(url)) for url in quirk.sources) + "</p>")
    parts += [_cell(cell, quirk.title) for cell in view.cells]
    parts.append("</article>")
    return "\n".join(parts)


def _cell(cell: CellView, title: str) -> str:
    facts = [f"evidence: {EVIDENCE_MARKS[cell.evidence]} {esc(cell.evidence)}"]
    facts += [f"recorded {esc(cell.recorded_at)}"] if cell.recorded_at else []
    facts += [f"since {esc(cell.since)}"] if cell.since else []
    facts += [f"cassette <code>{esc(cell.cassette)}</code>"] if cell.cassette and cell.evidence != "none" else []
    parts = [
        f'<section class="cell-detail" id="{esc(cell.anchor)}" {_data(cell)}>',
        f'<h4>{esc(title)} on <code>{esc(cell.target)}</code> <span class="badge {status_class(cell.status)}">'
        f"{STATUS_MARKS[cell.status]} {esc(cell.status)}</span></h4>",
        f'<p class="muted">{", ".join(facts)}</p>',
    ]
    if cell.reason:
        parts.append(f"<p>{esc(cell.status)}: {esc(cell.reason)}</p>")
    if cell.sources:
        parts.append("<ul>" + "".join(f"<li>source: {_citation(s)}</li>" for s in cell.sources) + "</ul>")
    if cell.history:
        steps = "".join(f"<li>{_event(event)}</li>" for event in cell.history)
        parts.append(f'<div class="history"><p>History:</p><ol>{steps}</ol></div>')
    parts += [_probe(probe) for probe in cell.probes]
    parts.append("</section>")
    return "\n".join(parts)


def _event(event: Event) -> str:
    if event.kind == "source" and event.link:
        link = f' <a href="{esc(event.link)}">{esc(event.link)}</a>'
    else:
        link = f" <code>{esc(event.link)}</code>" if event.link else ""
    return f"<time>{esc(event.date)}</time> {esc(event.text)}{link}"


def _changes(report: Report) -> str:
    """The cells that changed, the newest first; all of it is history (``history.py``)."""
    listed = changes(report)
    items = "".join(
        f'<li>{_event(event)}: <a href="#{esc(cell.anchor)}">{esc(view.quirk.title)} '
        f"on <code>{esc(cell.target)}</code></a> "
        f'<span class="badge {status_class(cell.status)}">{STATUS_MARKS[cell.status]} {esc(cell.status)}</span></li>'
        for event, view, cell in listed
    )
    return (
        '<section class="history" id="changes"><h2>Changes</h2>'
        f'<p class="muted">The newest first; from {esc(report.history_source)}.</p>'
        f"<details><summary>{len(listed)} changes</summary><ol>{items}</ol></details></section>"
    )


def _probe(probe: ProbeView) -> str:
    role = " (workaround)" if probe.workaround else ""
    since = f" since {esc(probe.since)}" if probe.since else ""
    reason = f": {esc(probe.reason)}" if probe.reason and not probe.observed else ""
    parts = [
        '<div class="probe">',
        f"<p><code>{esc(probe.id)}</code>{role}: {esc(probe.summary)}. "
        f'<span class="badge {status_class(probe.status)}">{STATUS_MARKS[probe.status]} {esc(probe.status)}</span>'
        f"{since}{reason}</p>",
    ]
    if probe.expected is not None:
        expected = json.dumps(probe.expected, ensure_ascii=False)
        parts.append(f"<p>expected: <code>{esc(expected)}</code></p>")
    if probe.observed:
        parts.append(f"<p>observed: {esc(probe.behaviour)}</p>")
    parts += [f"<p>{esc(m)}</p>" for m in probe.mismatches]
    if probe.request is not None and probe.observed:
        parts.append(f"<p>Request:</p><pre>{esc(request_text(probe.request))}</pre>")
    if probe.answer:
        cut = " (excerpt)" if probe.answer.truncated else ""
        parts.append(
            f"<p>Answer from the cassette, HTTP {probe.answer.status}{cut}:</p><pre>{esc(probe.answer.text)}</pre>"
        )
    if probe.parts:
        parts.append(f'<p class="answer-parts">Answer parts: {esc(probe.parts.describe())}.</p>')
    if probe.source:
        note = f": {esc(probe.source_note)}" if probe.source_note else ""
        parts.append(f"<p>Source: {_citation(probe.source)}{note}</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _expected_counts(report: Report) -> dict[str, Any]:
    """What each filter must show, computed here, checked by the page's self-test."""
    cells = report.cells()
    categories = {view.quirk.id: view.quirk.category for view in report.quirks}
    by: dict[str, dict[str, int]] = {
        "provider": {p: sum(c.provider == p for c in cells) for p in report.providers()},
        "category": {k: sum(categories[c.quirk] == k for c in cells) for k in report.categories()},
        "status": {s: sum(c.status == s for c in cells) for s in STATUSES},
        "evidence": {v: sum(c.evidence == v for c in cells) for v in EVIDENCE},
    }
    search = {v.quirk.id: sum(v.quirk.id in search_text(other) for other in report.quirks) for v in report.quirks}
    return {"total": len(cells), "by": by, "search": search}
