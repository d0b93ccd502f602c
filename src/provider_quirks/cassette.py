"""Cassettes: vcrpy recordings as reviewed data, with the evidence behind their bytes.

The file is vcrpy's YAML format with readability changes that round-trip byte for byte: a JSON
body is written as a YAML mapping (``body: {json: …}``, with ``json_style: compact`` when it was
sent without spaces); other text, such as an SSE stream, as a literal block that reads as it was
sent; and a text whose lines all end in CRLF is stored with LF plus ``crlf: true``.

The ``metadata.evidence`` block says where the bytes come from: ``recorded`` live by this suite
(date, suite version, model) or ``reconstructed`` by hand from cited public sources. Interactions
may carry their own ``evidence`` note (the source one quoted body comes from).

``load_cassette`` also reads cassettes written by other tools (plain vcrpy, gzip bodies,
base64 ``!!binary`` bodies, pydantic-ai's ``parsed_body``) for ``quirks inspect``.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from provider_quirks.problems import Problem, yaml_problem
from provider_quirks.yamlio import dump_yaml, load_yaml

FORMAT_NAME = "quirks-yaml"


class CassetteError(Exception):
    """A cassette that cannot be read: one line naming the file (and the line and column of a YAML error)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class Interaction:
    method: str
    uri: str
    request_headers: dict[str, list[str]]
    request_body: bytes | None
    status: int
    response_headers: dict[str, list[str]]
    response_body: bytes
    evidence: Mapping[str, Any] | None = None
    reason: str = ""
    """The status line's reason phrase (``Not Found``), empty when the cassette has none."""

    @property
    def content_type(self) -> str:
        for name, values in self.response_headers.items():
            if name.lower() == "content-type" and values:
                return str(values[0])
        return ""


@dataclass(frozen=True)
class Cassette:
    path: Path
    metadata: dict[str, Any] = field(default_factory=dict)
    interactions: tuple[Interaction, ...] = ()

    @property
    def evidence(self) -> dict[str, Any]:
        evidence = self.metadata.get("evidence")
        return dict(evidence) if isinstance(evidence, Mapping) else {}


# --- the vcrpy serializer -------------------------------------------------------------------


#: JSON spacing styles a body can be re-written in byte for byte; the style is kept in the file.
JSON_STYLES: dict[str, tuple[str, str]] = {"spaced": (", ", ": "), "compact": (",", ":")}


def _json_text(parsed: Any, style: str) -> str:
    return json.dumps(parsed, ensure_ascii=False, separators=JSON_STYLES[style])


def readable_body(text: str) -> dict[str, Any]:
    """A JSON body as a YAML mapping when it round-trips exactly; other text as a text block."""
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, (dict, list)):
        for style in JSON_STYLES:
            if _json_text(parsed, style) == text:
                return {"json": parsed} if style == "spaced" else {"json": parsed, "json_style": style}
    if "\r\n" in text and text.count("\r\n") == text.count("\n") == text.count("\r"):
        return {"string": text.replace("\r\n", "\n"), "crlf": True}
    return {"string": text}


def body_text(body: Mapping[str, Any]) -> str:
    """Inverse of ``readable_body``."""
    if "json" in body:
        return _json_text(body["json"], str(body.get("json_style", "spaced")))
    text = _text(body.get("string")) or ""
    return text.replace("\n", "\r\n") if body.get("crlf") else text


def _readable_request_body(body: Any) -> Any:
    if body is None or body == "":
        return None
    if isinstance(body, Mapping):
        return dict(body)  # already in readable form (a cassette edited and written again)
    return readable_body(body.decode("utf-8") if isinstance(body, bytes) else body)


def _readable_response_body(body: Mapping[str, Any]) -> dict[str, Any]:
    if "json" in body or body.get("crlf"):
        return dict(body)  # already in readable form (a cassette loaded and written again)
    text = body.get("string")
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return readable_body(text or "") if text else {"string": text}


def serialize(cassette_dict: Mapping[str, Any]) -> str:
    """vcrpy dict to our YAML: evidence first, then readable bodies."""
    interactions = []
    for interaction in cassette_dict["interactions"]:
        request = dict(interaction["request"])
        request["body"] = _readable_request_body(request.get("body"))
        response = dict(interaction["response"])
        response["body"] = _readable_response_body(response.get("body") or {})
        entry: dict[str, Any] = {"request": request, "response": response}
        if interaction.get("evidence"):
            entry["evidence"] = interaction["evidence"]
        interactions.append(entry)
    data: dict[str, Any] = {}
    if cassette_dict.get("metadata"):
        data["metadata"] = cassette_dict["metadata"]
    data["interactions"] = interactions
    data["version"] = cassette_dict.get("version", 1)
    return dump_yaml(data)


def _request_body_text(body: Any) -> str | None:
    if isinstance(body, Mapping):
        return body_text(body)
    return _text(body)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _response_body_text(body: Any) -> str:
    if not isinstance(body, Mapping):
        return _text(body) or ""
    return body_text(body)


def deserialize(text: str) -> dict[str, Any]:
    """Our YAML back to the dict vcrpy expects (bodies as plain strings)."""
    data = load_yaml(text)
    if not isinstance(data, Mapping) or not isinstance(data.get("interactions"), list):
        raise ValueError("not a vcrpy cassette: no 'interactions' list")
    interactions = []
    for interaction in data["interactions"]:
        request = dict(interaction["request"])
        request["body"] = _request_body_text(request.get("body"))
        response = dict(interaction["response"])
        response["body"] = {"string": _response_body_text(response.get("body"))}
        interactions.append({"request": request, "response": response})
    result: dict[str, Any] = {"version": data.get("version", 1), "interactions": interactions}
    if data.get("metadata"):
        result["metadata"] = data["metadata"]
    return result


# --- reading any cassette (ours or another tool's) ------------------------------------------


def _body_bytes(body: Any, headers: Mapping[str, Any]) -> bytes:
    """A body in any of the forms vcrpy-based tools write, decompressed if it was encoded."""
    if isinstance(body, Mapping) and "parsed_body" in body:
        raw: Any = json.dumps(body["parsed_body"])
    elif isinstance(body, Mapping) and isinstance(body.get("string"), bytes):
        raw = body["string"]
    elif isinstance(body, Mapping):
        raw = body_text(body)
    else:
        raw = body or b""
    data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
    encoding = " ".join(str(v) for k, vs in headers.items() if k.lower() == "content-encoding" for v in _listed(vs))
    if "gzip" in encoding or data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except OSError:
            return data
    if "deflate" in encoding:
        try:
            return zlib.decompress(data)
        except zlib.error:
            return data
    return data


def _listed(values: Any) -> list[Any]:
    return list(values) if isinstance(values, list) else [values]


def _headers(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): [str(v) for v in _listed(vs)] for k, vs in value.items()}


def cassette_data(path: Path) -> Any:
    """The parsed file, as written; a file that does not parse is one line with its line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CassetteError(Problem(path, f"cannot read cassette: {error}")) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else load_yaml(text)
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg}"
        raise CassetteError(Problem(path, message, line=error.lineno, column=error.colno)) from None
    except yaml.YAMLError as error:
        raise CassetteError(yaml_problem(path, error)) from None
    return data


def load_cassette(path: Path) -> Cassette:
    """Read a cassette for inspection; any vcrpy YAML or JSON cassette is accepted."""
    data = cassette_data(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("interactions"), list):
        raise CassetteError(Problem(path, "not a vcrpy cassette (no 'interactions' list)"))
    interactions = []
    for index, entry in enumerate(data["interactions"]):
        try:
            request, response = entry["request"], entry["response"]
            request_headers = _headers(request.get("headers"))
            response_headers = _headers(response.get("headers"))
            # pydantic-ai writes JSON bodies parsed, next to the body: `parsed_body: {...}`.
            body = {"parsed_body": request["parsed_body"]} if "parsed_body" in request else request.get("body")
            response_body: Any = (
                {"parsed_body": response["parsed_body"]} if "parsed_body" in response else response.get("body")
            )
            interactions.append(
                Interaction(
                    method=str(request["method"]),
                    uri=str(request["uri"]),
                    request_headers=request_headers,
                    request_body=_body_bytes(body, request_headers) if body not in (None, "") else None,
                    status=int(response["status"]["code"]),
                    response_headers=response_headers,
                    response_body=_body_bytes(response_body, response_headers),
                    evidence=entry.get("evidence"),
                    reason=str(response["status"].get("message") or ""),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CassetteError(Problem(path, f"malformed ({error!r})", f"interactions[{index}]")) from None
    metadata = data.get("metadata")
    return Cassette(
        path=path, metadata=dict(metadata) if isinstance(metadata, Mapping) else {}, interactions=tuple(interactions)
    )


# --- writing ---------------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Temporary file in the same folder, then rename: a reader sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
