"""vcrpy set up for quirk cells: replay offline, or record live without losing or leaking.

Replay uses record mode ``none``: a request that is not in the cassette fails at once and no
socket is opened; a request sent twice gets the same answer twice. Live recording starts from an
empty cassette (a rewrite) and saves through ``CellPersister``, which writes atomically, adds the
evidence metadata and keeps only the last answer to each request (retries of a 503 are not
evidence). It writes only a complete cell: when a probe was inconclusive, or the run stopped in
the middle of the cell (Ctrl-C, a crash, an unreachable server), the previous cassette stays byte
for byte, so a cassette is always either the old recording or the whole new one.

Requests match on method, path, query, parsed JSON body and the headers that select an API
version (``MATCHED_HEADERS``): every LLM call is a POST to one URL, so the body is what tells most
probes apart, but two requests that differ only by ``anthropic-version`` are different questions
with different answers. Azure's ``api-version`` is a query parameter and matches as one.

A cassette records the provider's public base URL (or a ``.invalid`` placeholder), never the one
a live run used: a base URL override (a gateway at ``/openai/v1``, a local server on a random
port, a private Azure resource) replays the same cassette and does not leak into it.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import vcr
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.request import Request
from vcr.serialize import deserialize as vcr_deserialize

from provider_quirks import cassette as cassette_format
from provider_quirks.scrub import (
    is_kept_request_header,
    is_kept_response_header,
    kept_headers,
    normalize_volatile,
    scrub_text,
    scrub_uri,
)

SERIALIZER = types.SimpleNamespace(serialize=cassette_format.serialize, deserialize=cassette_format.deserialize)
MATCH_ON = ("method", "path", "query", "json_body", "version_headers")

#: Request headers that are part of a request's meaning (the API version or beta features it asks
#: for); they are matched on and kept in cassettes (they must be on the scrub allow-list).
MATCHED_HEADERS: tuple[str, ...] = ("anthropic-version", "anthropic-beta")


def _parsed(body: Any) -> Any:
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if body in (None, ""):
        return None
    try:
        return json.loads(body)
    except (TypeError, ValueError):
        return body


def json_body(r1: Request, r2: Request) -> None:
    """Bodies are equal as parsed JSON (or as text when they are not JSON)."""
    if _parsed(r1.body) != _parsed(r2.body):
        raise AssertionError("request bodies differ")


def _version_headers(request: Request) -> tuple[str | None, ...]:
    """The values of ``MATCHED_HEADERS`` (``None`` when absent); header names are case-insensitive."""
    return tuple(request.headers.get(name) for name in MATCHED_HEADERS)


def version_headers(r1: Request, r2: Request) -> None:
    """A missing header, and each value of it, is a different request."""
    if _version_headers(r1) != _version_headers(r2):
        raise AssertionError("version headers differ")


@dataclass
class CellPersister:
    """Loads and saves one cell's cassette with the rules in the module docstring.

    ``complete`` is set by the runner once every probe has an answer worth keeping; vcrpy saves
    on leaving the cassette even after an exception, and this is what makes that a no-op.
    """

    live: bool
    metadata: dict[str, Any] = field(default_factory=dict)
    complete: bool = False

    def load_cassette(self, cassette_path: str, serializer: Any) -> tuple[Any, ...]:
        path = Path(cassette_path)
        if self.live or not path.is_file():
            raise CassetteNotFoundError()
        return tuple(vcr_deserialize(path.read_text(encoding="utf-8"), serializer))

    def save_cassette(self, cassette_path: str, cassette_dict: Mapping[str, Any], serializer: Any) -> None:
        if not self.live or not self.complete:
            return
        latest: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        for request, response in zip(cassette_dict["requests"], cassette_dict["responses"], strict=True):
            latest[_same_request(request)] = (request, response)
        interactions = [
            {"request": _unicode_request(request), "response": _unicode_response(response)}
            for request, response in latest.values()
        ]
        data = {"metadata": self.metadata, "interactions": interactions, "version": 1}
        cassette_format.write_atomically(Path(cassette_path), serializer.serialize(data))


def _same_request(request: Request) -> tuple[Any, ...]:
    """What makes two recorded requests the same question: only the last answer to it is kept."""
    return (request.method, request.uri, json.dumps(_parsed(request.body)), _version_headers(request))


def saved_positions(requests: Sequence[Request]) -> list[int]:
    """For each request recorded live, in order, the position of its interaction in the saved cassette."""
    first: dict[tuple[Any, ...], int] = {}
    return [first.setdefault(_same_request(request), len(first)) for request in requests]


class AnswerLog:
    """Which of a cassette's interactions answered each probe: read off vcrpy while the cassette is in use.

    Replay counts plays per stored interaction; a live run appends what it records (retries too,
    the last one is the answer kept). The index is into the cassette as saved, so the results file
    says which interaction the report shows, and nothing matches requests a second time.
    """

    def __init__(self, cassette: Any, live: bool) -> None:
        self._cassette, self._live = cassette, live
        self._plays: dict[int, int] = {}
        self._recorded = 0

    def start(self) -> None:
        """Called before a probe sends."""
        self._plays = dict(self._cassette.play_counts)
        self._recorded = len(self._cassette.data)

    def answered(self) -> int | None:
        """After the probe: the interaction that answered it (the first, when several did), or None."""
        if self._live:
            recorded = len(self._cassette.data)
            return recorded - 1 if recorded > self._recorded else None
        played = [i for i, count in self._cassette.play_counts.items() if count > self._plays.get(i, 0)]
        return min(played) if played else None

    def saved(self, index: int | None) -> int | None:
        """``index`` (as ``answered`` gave it) in the cassette as saved: a live run keeps one answer per request."""
        if index is None or not self._live:
            return index
        return saved_positions(self._cassette.requests)[index]


def _unicode_request(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = request._to_dict()
    if isinstance(data.get("body"), bytes):
        data["body"] = data["body"].decode("utf-8", errors="replace")
    return data


def _unicode_response(response: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(response)
    body = dict(data.get("body") or {})
    if isinstance(body.get("string"), bytes):
        body["string"] = body["string"].decode("utf-8", errors="replace")
    data["body"] = body
    return data


def rebase_uri(uri: str, live_base: str, canonical_base: str) -> str:
    """``uri`` under ``live_base`` rewritten to the same path under ``canonical_base`` (other URIs unchanged)."""
    parts, live, canonical = urlsplit(uri), urlsplit(live_base), urlsplit(canonical_base)
    prefix = live.path.rstrip("/")
    if not parts.path.startswith(prefix):
        return uri
    path = canonical.path.rstrip("/") + parts.path[len(prefix) :]
    return urlunsplit((canonical.scheme, canonical.netloc, path, parts.query, parts.fragment))


def scrub_request_hook(secrets: Iterable[str], rebase: tuple[str, str] | None = None) -> Any:
    """Allow-listed headers, no key anywhere; with ``rebase`` (live base URL, canonical one), the canonical URI."""
    frozen = tuple(secrets)

    def hook(request: Request) -> Request:
        uri = rebase_uri(request.uri, *rebase) if rebase else request.uri
        request.uri = scrub_uri(uri, frozen)
        headers = {name: [value] for name, value in request.headers.items()}
        request.headers = {k: v[0] for k, v in kept_headers(headers, is_kept_request_header).items()}
        if request.body:
            text = request.body.decode("utf-8", errors="replace") if isinstance(request.body, bytes) else request.body
            request.body = scrub_text(text, frozen).encode("utf-8")
        return request

    return hook


def scrub_response_hook(secrets: Iterable[str]) -> Any:
    frozen = tuple(secrets)

    def hook(response: dict[str, Any]) -> dict[str, Any]:
        headers = kept_headers(response.get("headers") or {}, is_kept_response_header)
        response["headers"] = {name: [scrub_text(str(v), frozen) for v in values] for name, values in headers.items()}
        status = response.get("status")
        if isinstance(status, dict) and isinstance(status.get("message"), str):
            status["message"] = scrub_text(status["message"], frozen)
        body = response.get("body") or {}
        raw = body.get("string")
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", errors="replace")
        if isinstance(raw, str):
            body["string"] = normalize_volatile(scrub_text(raw, frozen)).encode("utf-8")
        return response

    return hook


#: Options of ``use_cassette`` for a cell: a request sent twice (two probes alike) replays twice.
CASSETTE_OPTIONS: dict[str, Any] = {"allow_playback_repeats": True}


def cell_vcr(persister: CellPersister, secrets: Iterable[str], rebase: tuple[str, str] | None = None) -> vcr.VCR:
    """A VCR for one cell; replay never reaches the network (record mode ``none``).

    ``rebase`` is (the base URL a live run sends to, the one its cassette records).
    """
    recorder = vcr.VCR(
        serializer="quirks",
        record_mode="all" if persister.live else "none",
        match_on=MATCH_ON,
        decode_compressed_response=True,
        before_record_request=scrub_request_hook(secrets, rebase),
        before_record_response=scrub_response_hook(secrets),
    )
    recorder.register_serializer("quirks", SERIALIZER)
    recorder.register_matcher("json_body", json_body)
    recorder.register_matcher("version_headers", version_headers)
    recorder.register_persister(persister)
    return recorder
