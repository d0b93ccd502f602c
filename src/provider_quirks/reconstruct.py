"""Write a reconstructed interaction: the probe's own request, with a cited, quoted answer.

No session can reach a provider, so most cells start from public evidence: an error body
quoted in an issue, a documented example, someone else's recording. This puts such a body in
the cell's cassette next to the exact request the probe sends (so replay matches it), and
records where it comes from, per interaction and in the cassette's evidence block, with the
parts of the answer the source shows (``quoted``; the rest is filled in after the provider's
documented envelope). The body is taken as given; nothing here invents or edits one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provider_quirks.cassette import CassetteError, cassette_data, serialize, write_atomically
from provider_quirks.catalog import CatalogEntry, cassette_path
from provider_quirks.observe import observe
from provider_quirks.provenance import PARTS, in_order
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable, WireRequest

REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}


class ReconstructError(Exception):
    """Bad input to the reconstruct command: one clear line."""


@dataclass(frozen=True)
class Quote:
    """An answer as a public source gives it."""

    status: int
    body: str
    content_type: str
    source: str
    source_date: dt.date
    note: str
    quoted: tuple[str, ...] = ("body",)
    """The parts of the answer the source shows (``PARTS``); the others are the suite's fill-in."""


def quoted_parts(parts: Iterable[str]) -> tuple[str, ...]:
    """The parts a source shows, checked: known parts only, and always the body (that is what is quoted)."""
    named = [part.strip() for part in parts if part.strip()]
    unknown = [part for part in named if part not in PARTS]
    if unknown:
        raise ReconstructError(f"--quoted: unknown part(s) {', '.join(unknown)} (parts: {', '.join(PARTS)})")
    if "body" not in named:
        raise ReconstructError("--quoted must include body: a reconstructed answer always quotes its body")
    return in_order(named)


def _uri(target: Target, path: str, query: tuple[tuple[str, str], ...]) -> str:
    base = target.provider.canonical_base_url
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query) if query else ""
    return base.rstrip("/") + path + suffix


def _request(entry: CatalogEntry, target: Target, probe_id: str) -> WireRequest:
    """The exact request the probe sends to this target."""
    try:
        probe = entry.quirk.probe(probe_id)
    except KeyError:
        known = ", ".join(p.id for p in entry.quirk.probes)
        raise ReconstructError(f"quirk {entry.quirk.id} has no probe {probe_id!r} (probes: {known})") from None
    request = probe.build(target)
    if isinstance(request, NotApplicable):
        raise ReconstructError(f"probe {probe_id} does not apply to {target.id}: {request.reason}")
    return request


def reconstruct(entry: CatalogEntry, target: Target, probe_id: str, quote: Quote, cassette_dir: Path) -> Path:
    """Add (or replace) the probe's interaction in the cell's cassette; returns the path."""
    if not quote.source.startswith("http"):
        raise ReconstructError(f"--source must be the URL the body is quoted from, got {quote.source!r}")
    quoted = quoted_parts(quote.quoted)
    request = _request(entry, target, probe_id)
    path = cassette_path(cassette_dir, entry.quirk.id, target)
    try:
        data: dict[str, Any] = cassette_data(path) if path.is_file() else {}
    except CassetteError as error:
        raise ReconstructError(str(error)) from None
    metadata = data.get("metadata") or {}
    evidence = metadata.get("evidence") or {}
    if evidence.get("level") == "recorded":
        raise ReconstructError(f"{path} holds a live recording; reconstructed bytes would replace evidence")
    sources = list(evidence.get("sources") or [])
    if not any(s.get("url") == quote.source for s in sources):
        sources.append({"url": quote.source, "date": quote.source_date})
    interaction = {
        "request": {
            "method": request.method,
            "uri": _uri(target, request.path, request.query),
            "body": (request.body_bytes() or b"").decode("utf-8") or None,
            "headers": {"content-type": ["application/json"], **{k: [v] for k, v in request.headers}},
        },
        "response": {
            "status": {"code": quote.status, "message": REASONS.get(quote.status, "")},
            "headers": {"content-type": [quote.content_type]},
            "body": {"string": quote.body},
        },
        "evidence": {
            "probe": probe_id,
            "source": quote.source,
            "date": quote.source_date,
            "note": quote.note,
            "quoted": list(quoted),
        },
    }
    kept = [i for i in data.get("interactions") or [] if (i.get("evidence") or {}).get("probe") != probe_id]
    order = [p.id for p in entry.quirk.probes]
    interactions = sorted(
        [*kept, interaction], key=lambda i: order.index((i.get("evidence") or {}).get("probe", order[0]))
    )
    notes = evidence.get("notes") or (
        "Reconstructed: each response body is quoted as its source gives it; the request is this suite's probe. "
        "Per-interaction notes say what differs from the source's own request."
    )
    document = {
        "metadata": {"evidence": {"level": "reconstructed", "sources": sources, "notes": notes}},
        "interactions": interactions,
        "version": 1,
    }
    write_atomically(path, serialize(document))
    return path


def supported_expectation(entry: CatalogEntry, target: Target, probe_id: str, quote: Quote) -> dict[str, Any]:
    """What the quoted answer shows, as a probe's ``expect``: what the answer is, none of its sample values.

    ``outcome`` and ``status``; for an error also the type, field and code the provider names, and
    the start of its message (up to the first quoted or numeric part, which varies with the request).
    """
    request = _request(entry, target, probe_id)
    headers = {"content-type": quote.content_type}
    uri = _uri(target, request.path, request.query)
    observed = observe(target.provider, quote.status, headers, quote.body.encode("utf-8"), uri)
    expect: dict[str, Any] = {"outcome": observed.outcome, "status": observed.status}
    if observed.outcome != "accepted" and observed.error is not None:
        stated = observed.error.to_json()
        error: dict[str, Any] = {key: stated[key] for key in ("type", "param", "code") if stated[key] is not None}
        fragment = message_fragment(observed.error.message or "")
        if fragment:
            error["message"] = {"$contains": fragment}
        if error:
            expect["error"] = error
    return expect


def message_fragment(message: str) -> str:
    """The message's stable start: up to the first digit or quote, at most 80 characters, whole words."""
    stable = re.split(r"[\d'\"`]", message, maxsplit=1)[0]
    if len(stable) > 80:
        stable = stable[:80].rsplit(" ", 1)[0]
    stable = stable.strip(" .,:;([{-")
    return stable if len(stable) >= 8 else ""
