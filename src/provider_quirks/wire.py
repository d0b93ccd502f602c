"""One exact HTTP request, as a probe puts it on the wire.

Quirks live in exact bytes (a ``null``, an extra key, a missing header), so a request keeps its
body as written: key order and ``None`` (sent as ``null``) are preserved, and a probe that
needs bytes no JSON encoder would produce (malformed JSON) gives them raw.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any


class _Remove:
    """Marks a field a probe takes out of the minimal request."""

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Any = _Remove()


@dataclass(frozen=True)
class RawBody:
    """Bytes sent as they are, for requests that are deliberately not valid JSON."""

    data: bytes


@dataclass(frozen=True)
class WireRequest:
    """Method, path, query, non-secret headers and body; auth is added only when sending."""

    method: str
    path: str
    body: Any = None
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    def body_bytes(self) -> bytes | None:
        """The body exactly as sent: ``json.dumps`` keeps insertion order and writes ``null``."""
        if self.body is None:
            return None
        if isinstance(self.body, RawBody):
            return self.body.data
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")

    def with_fields(self, fields: Mapping[str, Any]) -> WireRequest:
        """Set (in place, or appended) or ``REMOVE`` top-level body fields."""
        body = dict(self.body or {})
        for key, value in fields.items():
            if value is REMOVE:
                body.pop(key, None)
            else:
                body[key] = value
        return replace(self, body=body)

    def with_headers(self, headers: Mapping[str, str | None]) -> WireRequest:
        """Add, replace or (with ``None``) drop headers."""
        kept = [(k, v) for k, v in self.headers if k.lower() not in {h.lower() for h in headers}]
        kept += [(k, v) for k, v in headers.items() if v is not None]
        return replace(self, headers=tuple(kept))

    def with_query(self, query: Mapping[str, str | None]) -> WireRequest:
        """Add, replace or (with ``None``) drop query parameters."""
        kept = [(k, v) for k, v in self.query if k not in query]
        kept += [(k, v) for k, v in query.items() if v is not None]
        return replace(self, query=tuple(kept))

    def to_json(self) -> dict[str, Any]:
        """For results and the report: what was sent, readable."""
        body: Any = self.body
        if isinstance(body, RawBody):
            body = body.data.decode("utf-8", errors="replace")
        return {
            "method": self.method,
            "path": self.path,
            "query": dict(self.query),
            "headers": dict(self.headers),
            "body": body,
        }


@dataclass(frozen=True)
class NotApplicable:
    """A probe that has no meaning for a target, with the reason shown in the report."""

    reason: str
