"""The report model: a results file joined with the catalog's texts and the cassettes' bytes.

Every view (Markdown, HTML, JSON) renders this one model, so they can never disagree. Building
it checks that the results file and the catalog describe the same cells: a report that silently
drops or invents a cell would be worse than none. Nothing here reads the clock, so the same
cassettes always give the same model (``generated_at`` is added by the JSON export only).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provider_quirks.cassette import Cassette, CassetteError, Interaction, load_cassette
from provider_quirks.catalog import Entry
from provider_quirks.providers import PROVIDERS
from provider_quirks.quirk import Quirk
from provider_quirks.results import EVIDENCE, CellResult, ProbeResult, Results

#: One mark per status, readable without colour; the legend explains them.
STATUS_MARKS: dict[str, str] = {
    "holds": "✓",
    "drift": "✗",
    "inconclusive": "?",
    "pending": "…",
    "n/a": "–",
    "skipped": "⊘",
}
STATUS_MEANINGS: dict[str, str] = {
    "holds": "the answer matches the expectation",
    "drift": "the answer contradicts the expectation: the provider changed",
    "inconclusive": "no usable answer (429, 5xx, timeout, 401/403); the previous cassette was kept",
    "pending": "no evidence yet",
    "n/a": "the quirk does not apply to this target",
    "skipped": "not run (live run without the provider's key)",
}
EVIDENCE_MARKS: dict[str, str] = {"recorded": "●", "reconstructed": "◐", "none": "○"}
EVIDENCE_MEANINGS: dict[str, str] = {
    "recorded": "captured live by this suite (dated)",
    "reconstructed": "written from cited public evidence (an issue, documentation, someone else's recording)",
    "none": "no cassette",
}
#: Statuses whose cell says something about the provider (an answer was compared).
ANSWERED = ("holds", "drift", "inconclusive")
EXCERPT_MAX_LINES = 30
EXCERPT_MAX_CHARS = 1500


class ReportError(Exception):
    """Results that do not fit the catalog: one line naming the file and the cell."""


class MissingCell(ReportError):
    """A cell of the catalog has no result: a partial run, another catalog, or a cell that crashed."""


@dataclass(frozen=True)
class Citation:
    url: str
    date: str | None = None


@dataclass(frozen=True)
class Excerpt:
    """The start of a cassette's answer, pretty-printed when it is JSON."""

    status: int
    content_type: str
    text: str
    truncated: bool


@dataclass(frozen=True)
class ProbeView:
    id: str
    summary: str
    workaround: bool
    status: str
    reason: str | None
    since: str | None
    request: Mapping[str, Any] | None
    expected: Any
    observed: Mapping[str, Any] | None
    mismatches: tuple[str, ...]
    answer: Excerpt | None
    source: Citation | None
    source_note: str | None

    @property
    def behaviour(self) -> str:
        return describe(self.observed)


@dataclass(frozen=True)
class CellView:
    quirk: str
    target: str
    provider: str
    variant: str
    status: str
    reason: str | None
    evidence: str
    recorded_at: str | None
    sources: tuple[Citation, ...]
    cassette: str | None
    tokens: Mapping[str, int] | None
    probes: tuple[ProbeView, ...]

    @property
    def anchor(self) -> str:
        return f"cell-{self.quirk}--{self.target}".replace("@", "-at-")

    @property
    def since(self) -> str | None:
        """The latest evidence date behind the cell's expectations."""
        dates = [p.since for p in self.probes if p.since]
        return max(dates) if dates else None

    @property
    def behaviour(self) -> str:
        """What each answered probe got, in one line."""
        return "; ".join(f"{p.id}: {p.behaviour}" for p in self.probes if p.observed)

    @property
    def headline(self) -> str:
        """The HTTP statuses the quirk's own probes got (not the workaround's): the matrix label."""
        for workaround in (False, True):
            codes = sorted(
                {str(p.observed.get("status")) for p in self.probes if p.observed and p.workaround == workaround}
            )
            if codes:
                return "/".join(codes)
        return ""


@dataclass(frozen=True)
class QuirkView:
    quirk: Quirk
    cells: tuple[CellView, ...]


@dataclass(frozen=True)
class ProviderView:
    """Everything that is different about one provider: its cells that have an answer, and what is unknown."""

    provider: str
    title: str
    known: tuple[tuple[QuirkView, CellView], ...]
    pending: tuple[str, ...]
    counts: Counter[str]


@dataclass(frozen=True)
class TokenTotal:
    """Tokens behind the report: the live run's own, or (replay) those of the recorded answers."""

    live: bool
    input: int
    output: int
    cells: int


@dataclass(frozen=True)
class Report:
    quirks: tuple[QuirkView, ...]
    targets: tuple[str, ...]
    suite_version: str
    mode: str
    source_name: str

    def cells(self) -> list[CellView]:
        return [cell for view in self.quirks for cell in view.cells]

    def providers(self) -> list[str]:
        return list(dict.fromkeys(target.split("@", 1)[0] for target in self.targets))

    def categories(self) -> list[str]:
        return sorted({view.quirk.category for view in self.quirks})

    def provider_views(self) -> list[ProviderView]:
        views = []
        for provider in self.providers():
            cells = [(view, cell) for view in self.quirks for cell in view.cells if cell.provider == provider]
            declared = PROVIDERS.get(provider)
            views.append(
                ProviderView(
                    provider=provider,
                    title=declared.title if declared else provider,
                    known=tuple((v, c) for v, c in cells if c.status in ANSWERED),
                    pending=tuple(sorted({v.quirk.title for v, c in cells if c.status == "pending"})),
                    counts=Counter(c.status for _, c in cells),
                )
            )
        return views

    def status_counts(self) -> dict[str, Counter[str]]:
        """Per provider (in column order), then ``"all"``: cells per status."""
        return self._counts(lambda cell: cell.status)

    def evidence_counts(self) -> dict[str, Counter[str]]:
        return self._counts(lambda cell: cell.evidence)

    def _counts(self, key: Any) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {provider: Counter() for provider in self.providers()}
        counts["all"] = Counter()
        for cell in self.cells():
            counts[cell.provider][key(cell)] += 1
            counts["all"][key(cell)] += 1
        return counts

    def tokens(self) -> TokenTotal:
        """A live run states what it spent; a replay states what its recorded cells cost when recorded."""
        live = self.mode == "live"
        counted = [c for c in self.cells() if c.tokens and (live or c.evidence == "recorded")]
        return TokenTotal(
            live=live,
            input=sum(c.tokens.get("input", 0) for c in counted if c.tokens),
            output=sum(c.tokens.get("output", 0) for c in counted if c.tokens),
            cells=len(counted),
        )


def describe(observed: Mapping[str, Any] | None) -> str:
    """One line for an observation: ``rejected 422 extra_forbidden (body.store)``."""
    if not observed:
        return ""
    words = [str(observed.get("outcome")), str(observed.get("status") or "no status")]
    error = observed.get("error") or {}
    if observed.get("outcome") != "accepted" and error:
        words += [str(error["type"])] if error.get("type") else []
        words += [f"({error['param']})"] if error.get("param") else []
    else:
        if observed.get("finish_reason"):
            words.append(f"finish_reason={observed['finish_reason']}")
        if observed.get("choices") not in (None, 1):
            words.append(f"choices={observed['choices']}")
    stream = observed.get("stream") or {}
    if not stream:
        return " ".join(words)
    done = "[DONE]" if stream.get("done_sentinel") else "no [DONE]"
    return " ".join(words) + f", stream: {stream.get('events')} events, {done}, usage: {stream.get('usage_location')}"


def target_order(entries: Sequence[Entry]) -> tuple[str, ...]:
    """Every target of the catalog, grouped by provider in declaration order."""
    seen = list(dict.fromkeys(target for entry in entries for target in entry.quirk.targets))
    providers = list(PROVIDERS)

    def key(target: str) -> tuple[int, int]:
        provider = target.split("@", 1)[0]
        return (providers.index(provider) if provider in providers else len(providers), seen.index(target))

    return tuple(sorted(seen, key=key))


def build_report(results: Results, entries: Sequence[Entry], root: Path, source_name: str) -> Report:
    """Join results and catalog; raise ReportError when they do not describe the same cells."""
    by_cell = _index_results(results, entries, source_name)
    views = []
    for entry in entries:
        cells = []
        for target in entry.quirk.targets:
            result = by_cell.get((entry.quirk.id, target))
            if result is None:
                raise MissingCell(f"{source_name}: no result for {entry.quirk.id}[{target}]")
            cells.append(_cell_view(entry.quirk, result, root))
        views.append(QuirkView(entry.quirk, tuple(cells)))
    return Report(
        quirks=tuple(views),
        targets=target_order(entries),
        suite_version=results.suite_version,
        mode=results.mode,
        source_name=source_name,
    )


def _index_results(results: Results, entries: Sequence[Entry], source_name: str) -> dict[tuple[str, str], CellResult]:
    quirks = {entry.quirk.id: entry.quirk for entry in entries}
    by_cell: dict[tuple[str, str], CellResult] = {}
    for cell in results.cells:
        if cell.quirk not in quirks:
            raise ReportError(f"{source_name}: names quirk {cell.quirk!r}, which is not in the catalog")
        if cell.target not in quirks[cell.quirk].targets:
            raise ReportError(f"{source_name}: names {cell.quirk}[{cell.target}], which is not a target of that quirk")
        if cell.evidence not in EVIDENCE:
            raise ReportError(f"{source_name}: {cell.quirk}[{cell.target}] has unknown evidence {cell.evidence!r}")
        if (cell.quirk, cell.target) in by_cell:
            raise ReportError(f"{source_name}: {cell.quirk}[{cell.target}] appears twice")
        by_cell[(cell.quirk, cell.target)] = cell
    return by_cell


def _cell_view(quirk: Quirk, result: CellResult, root: Path) -> CellView:
    cassette = _cassette(root, result)
    dates = _source_dates(cassette)
    summaries = {probe.id: probe.summary for probe in quirk.probes}
    probes = []
    for probe in result.probes:
        if probe.probe not in summaries:
            raise ReportError(
                f"{result.quirk}[{result.target}]: results name probe {probe.probe!r}, unknown to the quirk"
            )
        probes.append(_probe_view(probe, summaries[probe.probe], cassette, dates))
    urls = list(dict.fromkeys([*result.sources, *dates]))
    return CellView(
        quirk=result.quirk,
        target=result.target,
        provider=result.provider,
        variant=result.variant,
        status=result.status,
        reason=result.reason,
        evidence=result.evidence,
        recorded_at=result.recorded_at,
        sources=tuple(Citation(url, dates.get(url)) for url in urls),
        cassette=result.cassette,
        tokens=result.tokens,
        probes=tuple(probes),
    )


def _cassette(root: Path, result: CellResult) -> Cassette | None:
    path = root / result.cassette if result.cassette else None
    if path is None or not path.is_file():
        return None
    try:
        return load_cassette(path)
    except CassetteError as error:
        raise ReportError(str(error)) from None


def _source_dates(cassette: Cassette | None) -> dict[str, str | None]:
    """URL -> date, from the cassette's evidence block and its per-interaction notes."""
    if cassette is None:
        return {}
    dates: dict[str, str | None] = {}
    for source in cassette.evidence.get("sources") or []:
        if isinstance(source, Mapping) and source.get("url"):
            dates[str(source["url"])] = str(source["date"]) if source.get("date") else None
    for interaction in cassette.interactions:
        note = interaction.evidence or {}
        if note.get("source") and not dates.get(str(note["source"])):
            dates[str(note["source"])] = str(note["date"]) if note.get("date") else None
    return dates


def _probe_view(
    probe: ProbeResult, summary: str, cassette: Cassette | None, dates: Mapping[str, str | None]
) -> ProbeView:
    interaction = _interaction(cassette, probe) if probe.request is not None and probe.observed is not None else None
    note = (interaction.evidence or {}) if interaction else {}
    source = Citation(str(note["source"]), dates.get(str(note["source"]))) if note.get("source") else None
    return ProbeView(
        id=probe.probe,
        summary=summary,
        workaround=probe.workaround,
        status=probe.status,
        reason=probe.reason,
        since=probe.since,
        request=probe.request,
        expected=probe.expected,
        observed=probe.observed,
        mismatches=tuple(probe.mismatches),
        answer=excerpt(interaction) if interaction else None,
        source=source,
        source_note=str(note["note"]) if note.get("note") else None,
    )


def _parsed(data: bytes | str | None) -> Any:
    if data is None:
        return None
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    try:
        return json.loads(text)
    except ValueError:
        return text


def _interaction(cassette: Cassette | None, probe: ProbeResult) -> Interaction | None:
    """The interaction that answered the probe: same method, path and body, then the same headers.

    Probes that differ only in a header (an API version) share a body; the headers, or the
    interaction's own ``evidence.probe`` note, tell them apart.
    """
    if cassette is None or probe.request is None:
        return None
    request = probe.request
    body = request.get("body")
    expected_body = body if not isinstance(body, str) else _parsed(body)
    candidates = [
        interaction
        for interaction in cassette.interactions
        if interaction.method == request.get("method")
        and interaction.uri.split("?", 1)[0].endswith(str(request.get("path")))
        and _parsed(interaction.request_body) == expected_body
    ]
    wanted = {str(k).lower(): str(v) for k, v in (request.get("headers") or {}).items()}
    for interaction in candidates:
        sent = {k.lower(): v[0] for k, v in interaction.request_headers.items() if v and k.lower() != "content-type"}
        if sent == wanted:
            return interaction
    tagged = [i for i in cassette.interactions if (i.evidence or {}).get("probe") == probe.probe]
    return next(iter(tagged or candidates), None)


def excerpt(interaction: Interaction) -> Excerpt:
    text = interaction.response_body.decode("utf-8", errors="replace")
    parsed = _parsed(text)
    if isinstance(parsed, (dict, list)):
        text = json.dumps(parsed, indent=2, ensure_ascii=False)
    lines = text.splitlines()
    kept = "\n".join(lines[:EXCERPT_MAX_LINES])[:EXCERPT_MAX_CHARS]
    return Excerpt(interaction.status, interaction.content_type, kept, truncated=len(kept) < len(text.rstrip("\n")))


def request_text(request: Mapping[str, Any]) -> str:
    """The request as it goes on the wire (minus auth): request line, headers, pretty body."""
    query = "&".join(f"{k}={v}" for k, v in (request.get("query") or {}).items())
    lines = [f"{request.get('method')} {request.get('path')}{'?' + query if query else ''}"]
    lines += [f"{name}: {value}" for name, value in (request.get("headers") or {}).items()]
    body = request.get("body")
    if body is not None:
        lines.append("")
        lines.append(body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False))
    return "\n".join(lines)
