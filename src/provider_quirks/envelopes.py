"""Readers for the providers' error envelopes.

Each provider wraps errors its own way, and some use several shapes (Mistral answers schema
errors with a pydantic ``detail`` list, either at the top level or nested in ``message``, and
semantic errors with an ``{"object": "error"}`` record). An envelope reader returns ``None``
when a body is not of its shape, so a provider lists the shapes it uses and the first match wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from provider_quirks.observation import ErrorInfo

EnvelopeReader = Callable[[Any], "ErrorInfo | None"]

# Anthropic and pydantic-based servers prefix the message with the offending field's path.
_FIELD_PREFIX = re.compile(r"^([A-Za-z_][\w.\-]*): ")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _loc_path(loc: Any) -> str | None:
    if not isinstance(loc, list):
        return None
    return ".".join(str(part) for part in loc)


def openai_envelope(body: Any) -> ErrorInfo | None:
    """``{"error": {"message", "type", "param", "code"}}``: OpenAI, Azure, llama.cpp, vLLM ≥ 0.10.1."""
    if not isinstance(body, Mapping) or not isinstance(body.get("error"), Mapping):
        return None
    error = body["error"]
    if "status" in error and "details" in error:
        return None  # Google's envelope shares the outer key
    return ErrorInfo(
        type=_text(error.get("type")),
        message=_text(error.get("message")),
        param=_text(error.get("param")),
        code=_text(error.get("code")),
    )


def _pydantic_detail(detail: Any) -> ErrorInfo | None:
    if not isinstance(detail, list) or not detail or not isinstance(detail[0], Mapping):
        return None
    first = detail[0]
    return ErrorInfo(type=_text(first.get("type")), message=_text(first.get("msg")), param=_loc_path(first.get("loc")))


def pydantic_detail_envelope(body: Any) -> ErrorInfo | None:
    """``{"detail": [{"type", "loc", "msg", "input"}]}``: Mistral's 422 (2026 form), FastAPI servers."""
    if not isinstance(body, Mapping):
        return None
    return _pydantic_detail(body.get("detail"))


def _nested_detail(message: Any) -> Any:
    """Mistral nests the detail list in ``message``, as an object or as JSON text."""
    if isinstance(message, str) and message.lstrip().startswith("{"):
        try:
            message = json.loads(message)
        except ValueError:
            return None
    return message.get("detail") if isinstance(message, Mapping) else None


def object_error_envelope(body: Any) -> ErrorInfo | None:
    """``{"object": "error", "message", "type", "param", "code"}``: Mistral, vLLM before 0.10.1.

    Mistral's 2024 422s nest a pydantic detail list in ``message``; the detail entry then
    names the error, and the outer ``type`` is kept as ``code`` when there is no code.
    """
    if not isinstance(body, Mapping) or str(body.get("object", "")).lower() != "error":
        return None
    nested = _pydantic_detail(_nested_detail(body.get("message")))
    if nested is not None:
        return ErrorInfo(nested.type, nested.message, nested.param, _text(body.get("code")))
    return ErrorInfo(
        type=_text(body.get("type")),
        message=_text(body.get("message")),
        param=_text(body.get("param")),
        code=_text(body.get("code")),
    )


def anthropic_envelope(body: Any) -> ErrorInfo | None:
    """``{"type": "error", "error": {"type", "message"}}``; the field is the message's prefix."""
    if not isinstance(body, Mapping) or body.get("type") != "error":
        return None
    error = body.get("error")
    if not isinstance(error, Mapping):
        return None
    message = _text(error.get("message"))
    match = _FIELD_PREFIX.match(message or "")
    return ErrorInfo(type=_text(error.get("type")), message=message, param=match.group(1) if match else None)


def google_envelope(body: Any) -> ErrorInfo | None:
    """``{"error": {"code", "message", "status", "details": [fieldViolations]}}``, also in a list."""
    if isinstance(body, list) and len(body) == 1:
        body = body[0]
    if not isinstance(body, Mapping) or not isinstance(body.get("error"), Mapping):
        return None
    error = body["error"]
    if "status" not in error:
        return None
    param = None
    for detail in error.get("details") or []:
        violations = detail.get("fieldViolations") if isinstance(detail, Mapping) else None
        if isinstance(violations, list) and violations and isinstance(violations[0], Mapping):
            param = _text(violations[0].get("field"))
            break
    return ErrorInfo(
        type=_text(error.get("status")),
        message=_text(error.get("message")),
        param=param,
        code=_text(error.get("code")),
    )


def plain_detail_envelope(body: Any) -> ErrorInfo | None:
    """``{"detail": "Not Found"}``: FastAPI's default (llama-cpp-python's unknown routes)."""
    if isinstance(body, Mapping) and isinstance(body.get("detail"), str):
        return ErrorInfo(type=None, message=body["detail"], param=None)
    return None


def code_error_envelope(body: Any) -> ErrorInfo | None:
    """``{"code": "<gRPC status>", "error": "<message>"}``, no wrapper object: xAI.

    The ``code`` was the gRPC description ("Client specified an invalid argument") until 2026,
    then its slug ("invalid-argument"); it is kept as it comes.
    """
    if not isinstance(body, Mapping) or not isinstance(body.get("error"), str) or "code" not in body:
        return None
    return ErrorInfo(type=None, message=body["error"], param=None, code=_text(body.get("code")))


def _raw_text(raw: Any) -> str | None:
    """The upstream's body as the router relays it: its text, or an object written back as JSON."""
    if raw is None or isinstance(raw, str):
        return raw
    return json.dumps(raw, ensure_ascii=False)


def router_envelope(body: Any) -> ErrorInfo | None:
    """``{"error": {"code": 400, "message", "metadata": {"raw", "provider_name"}}}``: OpenRouter.

    The numeric ``code`` is the HTTP status; an upstream provider's refusal comes as the message
    "Provider returned error" with that provider's own body, as text, in ``metadata.raw`` (kept as
    ``upstream``). Bodies with a ``type`` are left to the OpenAI reader.
    """
    if not isinstance(body, Mapping) or not isinstance(body.get("error"), Mapping):
        return None
    error = body["error"]
    if "type" in error or "status" in error or "message" not in error:
        return None
    metadata = error.get("metadata")
    raw = metadata.get("raw") if isinstance(metadata, Mapping) else None
    return ErrorInfo(
        type=None,
        message=_text(error.get("message")),
        param=None,
        code=_text(error.get("code")),
        upstream=_raw_text(raw),
    )


def flat_error_envelope(body: Any) -> ErrorInfo | None:
    """``{"message", "type", "param", "code"}`` at the top level, no wrapper: Cerebras."""
    if not isinstance(body, Mapping) or not isinstance(body.get("message"), str) or "type" not in body:
        return None
    return ErrorInfo(
        type=_text(body.get("type")),
        message=body["message"],
        param=_text(body.get("param")),
        code=_text(body.get("code")),
    )


def read_error(body: bytes, readers: tuple[EnvelopeReader, ...]) -> ErrorInfo:
    """The error stated by ``body``, via the first matching reader; plain text otherwise."""
    text = body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        return ErrorInfo(type=None, message=text.strip()[:500] or None, param=None)
    for reader in readers:
        error = reader(parsed)
        if error is not None:
            return error
    return ErrorInfo(type=None, message=text.strip()[:500] or None, param=None)
