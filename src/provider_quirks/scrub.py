"""Keep secrets and volatile values out of cassettes.

Headers pass an allow-list (a deny-list misses the header nobody thought of: ``Set-Cookie``,
``openai-organization``, ``anthropic-organization-id``, request ids). Keys are removed from
query strings and replaced wherever else they appear, including error messages that echo
them. Values that change on every call (ids, timestamps, timings) are normalized so that a
re-recording differs only where the provider's behaviour did.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REQUEST_HEADERS_KEPT = frozenset({"content-type", "accept", "anthropic-version", "anthropic-beta"})
RESPONSE_HEADERS_KEPT = frozenset({"content-type", "retry-after"})
#: Rate-limit headers, kept by name pattern: each provider names its own limits (``x-ratelimit-remaining-tokens``,
#: ``anthropic-ratelimit-requests-reset``, the IETF draft's ``ratelimit-policy``); their values are counts and times.
RATE_LIMIT_HEADER = re.compile(r"(?:x-|anthropic-)?ratelimit-[a-z0-9-]+")
QUERY_PARAMETERS_DROPPED = frozenset({"key", "api_key", "api-key"})
REDACTED = "REDACTED"

#: Shapes of secrets and identifiers; used to scrub recordings and to scan every cassette.
SECRET_PATTERNS: dict[str, re.Pattern[str]] = {
    "OpenAI-style key": re.compile(r"\bsk-[A-Za-z0-9_\-*]{8,}"),
    "Anthropic key": re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{8,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"),
    "bearer token": re.compile(r"\bBearer\s+[A-Za-z0-9._\-]{8,}"),
    "OpenAI organization id": re.compile(r"\borg-[A-Za-z0-9]{12,}"),
    "OpenAI project id": re.compile(r"\bproj_[A-Za-z0-9]{12,}"),
    "Anthropic request id": re.compile(r"\breq_[A-Za-z0-9]{12,}"),
    "cookie": re.compile(r"(?i)\b(set-cookie|__cf_bm|_cfuvid)\b"),
}

# Volatile values of recorded answers: (pattern, replacement).
_VOLATILE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'"(created|created_at|completed_at)":\s*\d+'), r'"\1":0'),  # the Responses API's are _at
    # ``item_id`` too: a Responses stream's deltas name their output item by its id.
    (
        re.compile(r'"(id|item_id)":\s*"(chatcmpl|cmpl|msg|resp|gen)[-_][A-Za-z0-9_\-]+"'),
        r'"\1":"\2-SCRUBBED"',
    ),
    (re.compile(r'"id":\s*"[A-Za-z0-9]{16,}"'), '"id":"SCRUBBED"'),
    (re.compile(r'"timings":\s*\{[^{}]*\}'), '"timings":{}'),
    (re.compile(r'"request_id":\s*"[^"]*"'), '"request_id":"REDACTED"'),
    (re.compile(r'"responseId":\s*"[^"]*"'), '"responseId":"SCRUBBED"'),
)


def is_kept_request_header(name: str) -> bool:
    return name.lower() in REQUEST_HEADERS_KEPT


def is_kept_response_header(name: str) -> bool:
    """A response header is kept if it is listed or names a rate limit (the rate-limit-headers quirk)."""
    lowered = name.lower()
    return lowered in RESPONSE_HEADERS_KEPT or RATE_LIMIT_HEADER.fullmatch(lowered) is not None


def kept_headers(headers: Mapping[str, list[str]], allowed: Callable[[str], bool]) -> dict[str, list[str]]:
    return {name.lower(): values for name, values in headers.items() if allowed(name)}


def scrub_uri(uri: str, secrets: Iterable[str] = ()) -> str:
    """Drop key parameters and credentials in the host part; replace known keys anywhere else."""
    frozen = tuple(secrets)
    parts = urlsplit(uri)
    query = [
        (k, scrub_text(v, frozen))
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in QUERY_PARAMETERS_DROPPED
    ]
    netloc = parts.netloc.rpartition("@")[2]
    path = scrub_text(parts.path, frozen)
    return urlunsplit(parts._replace(netloc=netloc, path=path, query=urlencode(query)))


def scrub_text(text: str, secrets: Iterable[str]) -> str:
    """Replace known secret values, then anything shaped like a key or an identifier."""
    for secret in sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern in SECRET_PATTERNS.values():
        text = pattern.sub(REDACTED, text)
    return text


def scrub_value(value: Any, secrets: Iterable[str]) -> Any:
    """``scrub_text`` on every string of JSON-like data (results are uploaded by CI, like cassettes)."""
    frozen = tuple(secrets)
    if isinstance(value, str):
        return scrub_text(value, frozen)
    if isinstance(value, dict):
        return {key: scrub_value(inner, frozen) for key, inner in value.items()}
    if isinstance(value, list):
        return [scrub_value(inner, frozen) for inner in value]
    return value


#: An installed package's folder, wherever its environment lives (a server's traceback quotes it).
_INSTALLED_PACKAGES = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s\"'/\\]+)+[/\\](?:site|dist)-packages[/\\]")


def recording_machine_folders() -> dict[str, str]:
    """Folders of the machine that records, and the placeholder each becomes (longest first)."""
    home = str(Path.home())
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    folders = {cache: "<cache>", tempfile.gettempdir(): "<tmp>", home: "~"}
    return dict(sorted(folders.items(), key=lambda item: len(item[0]), reverse=True))


def normalize_volatile(text: str) -> str:
    """Also removes the recording machine's paths: a local server quotes its own files in tracebacks.

    Installed packages become ``<site-packages>/``, and the cache, temporary and home folders
    ``<cache>``, ``<tmp>`` and ``~``: a cassette recorded with the cache elsewhere reads the same.
    """
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    text = _INSTALLED_PACKAGES.sub("<site-packages>/", text)
    for folder, placeholder in recording_machine_folders().items():
        text = text.replace(f"{folder.rstrip('/')}/", f"{placeholder}/")
    return text


def find_secrets(text: str) -> list[str]:
    """Names of the secret shapes found in ``text``; used by the cassette scan."""
    return [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
