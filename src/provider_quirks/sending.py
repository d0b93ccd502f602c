"""Send one probe's request: replayed once, or live with retries while the provider's breaker allows.

Live runs retry transient answers (429, 5xx, 529, reset connections, bodies cut short, a 200 that
is not JSON) with bounded backoff, honouring ``retry-after`` up to a cap. A provider that stays
down, hangs or runs past its budget is stopped for the rest of the run (``breaker``), so an
outage costs seconds, not hours. A base URL where nothing answers at all is a setting to fix, not
a provider state: the run stops for that provider with one line (``ProviderUnreachable``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace

import requests
import urllib3.exceptions
from vcr.errors import CannotOverwriteExistingCassetteException

from provider_quirks.breaker import breaker_name
from provider_quirks.observation import ErrorInfo, Observation, Reading
from provider_quirks.observe import is_stream, no_http_answer, observe
from provider_quirks.providers import ConfigurationError
from provider_quirks.results import CellResult
from provider_quirks.run_state import RunState
from provider_quirks.scrub import normalize_volatile, scrub_text
from provider_quirks.settings import RunSettings
from provider_quirks.targets import Target
from provider_quirks.wire import WireRequest


class MissingInteraction(Exception):
    """The cassette exists but holds no answer to one probe: the catalog is inconsistent."""


class ProviderUnreachable(ConfigurationError):
    """Nothing answered at the provider's base URL (refused, unknown host, connect timeout).

    Carries the cell's ``inconclusive`` result so that the results file still lists the cell.
    """

    def __init__(self, line: str, result: CellResult | None = None) -> None:
        super().__init__(line)
        self.result = result


@dataclass(frozen=True)
class Attempt:
    """One request as the retry loop sees it."""

    observation: Observation
    #: What was transient, in a word or two ("503", "connection reset"); None for any other answer.
    transient: str | None = None
    #: False when nothing answered at the base URL (refused, unknown host, connect timeout).
    connected: bool = True
    #: No answer, or no end of one, within the timeout.
    timed_out: bool = False


def send(request: WireRequest, target: Target, settings: RunSettings, state: RunState) -> Observation:
    """Send with retries when live, while the provider's breaker allows; replay answers from the cassette, once."""
    if not settings.live:
        return _send_once(request, target, settings, state).observation
    name, breakers = breaker_name(target), state.breakers
    for attempt in range(1, settings.max_attempts + 1):
        breakers.sending(name)
        sent = _send_once(request, target, settings, state)
        if sent.connected and sent.timed_out:
            breakers.stop(name, f"no answer within {settings.timeout_seconds:g} s (--quirks-timeout)")
        elif sent.connected:
            breakers.answered(name, sent.transient)
        if sent.transient is None or sent.timed_out or attempt == settings.max_attempts or breakers.stopped(name):
            break
        wait = _wait_seconds(sent.observation, attempt, settings)
        if not breakers.may_wait(name, wait):
            break
        settings.sleep(wait)
    if not sent.connected:
        raise _unreachable(target, settings, state, attempt, sent.observation)
    return sent.observation


def _unreachable(
    target: Target, settings: RunSettings, state: RunState, attempts: int, observation: Observation
) -> ProviderUnreachable:
    """The one line for a base URL where nothing answers, remembered so the provider's next cells fail at once."""
    cause = observation.error.message if observation.error else "no answer"
    line = (
        f"{target.provider.name}: nothing answers at {base_url(target, settings, state)} after {attempts} attempt(s) "
        f"({cause}); check {target.provider.base_url_env} or --target-base-url {target.id}=URL"
    )
    state.unreachable[breaker_name(target)] = scrub_text(line, state.secrets(settings))
    return ProviderUnreachable(state.unreachable[breaker_name(target)])


def _wait_seconds(observation: Observation, attempt: int, settings: RunSettings) -> float:
    """Before retry ``attempt + 1``: ``retry-after`` when given, else exponential backoff; capped either way."""
    delay = _retry_after(observation.headers.get("retry-after", ""))
    if delay is None:
        delay = settings.backoff_seconds * 2 ** (attempt - 1)
    return min(delay, settings.max_wait_seconds)


def _retry_after(value: str) -> float | None:
    """``retry-after`` in seconds, given as a number or as an HTTP date; ``None`` when absent or unreadable."""
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def base_url(target: Target, settings: RunSettings, state: RunState) -> str:
    """Live: a started server, the target's override, else the provider's (environment); replay: the canonical one."""
    if not settings.live:
        return target.provider.canonical_base_url
    override = state.base_url_override(target, settings)
    if override is not None:
        return override.rstrip("/")
    return target.provider.base_url(settings.environ)


def _send_once(request: WireRequest, target: Target, settings: RunSettings, state: RunState) -> Attempt:
    """One request, observed."""
    provider = target.provider
    headers = {"content-type": "application/json", **dict(request.headers)}
    if settings.live:
        headers.update(provider.auth_headers(state.api_key(target, settings)))
    url = base_url(target, settings, state) + request.path
    try:
        response = requests.request(
            request.method,
            url,
            params=list(request.query),
            data=request.body_bytes(),
            headers=headers,
            timeout=settings.timeout_seconds,
        )
    except CannotOverwriteExistingCassetteException as error:
        raise MissingInteraction(
            f"the cassette has no answer to this request ({request.method} {request.path}); "
            "re-record the cell or add the interaction"
        ) from error
    except requests.exceptions.RequestException as error:
        return Attempt(
            no_http_answer(provider, _error_line(error)),
            transient=_failure(error),
            connected=_connected(error),
            timed_out=isinstance(error, requests.exceptions.Timeout),
        )
    body = response.content
    if settings.live:  # observe what the cassette will keep, so that replay observes the same
        body = normalize_volatile(scrub_text(body.decode("utf-8", errors="replace"), state.secrets(settings))).encode()
    headers = dict(response.headers)
    observation = observe(provider, response.status_code, headers, body, url)
    if observation.outcome == "accepted" and _not_json(headers.get("content-type", ""), body, url):
        # A proxy's glitch, not the provider's answer: recorded, it would be read as one.
        message = f"a body that is not JSON: {body[:80].decode(errors='replace')}"
        broken = Reading(error=ErrorInfo("invalid-json", message, None))
        return Attempt(replace(observation, outcome="transient", reading=broken), "invalid JSON")
    transient = str(response.status_code) if observation.outcome == "transient" else None
    return Attempt(observation, transient)


def _not_json(content_type: str, body: bytes, url: str) -> bool:
    """Whether a body that says it is JSON (and is not a stream) does not parse."""
    media = content_type.split(";")[0].strip().lower()
    if is_stream(content_type, url) or not (media == "application/json" or media.endswith("+json")):
        return False
    try:
        json.loads(body)
    except ValueError:
        return True
    return False


def _connected(error: requests.exceptions.RequestException) -> bool:
    """False when no connection was made (refused, unknown host, connect timeout); True for a reset or a slow answer."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return False
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return not isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def _failure(error: requests.exceptions.RequestException) -> str:
    """What went wrong with the connection, in a word or two, for the breaker's line."""
    if isinstance(error, requests.exceptions.Timeout):
        return "timeout"
    causes = list(_causes(error))
    if any(isinstance(cause, ConnectionResetError) for cause in causes):
        return "connection reset"
    if any(isinstance(cause, (http.client.IncompleteRead, urllib3.exceptions.IncompleteRead)) for cause in causes):
        return "body cut short"
    return type(error).__name__


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and every exception it wraps (requests and urllib3 nest them in ``args``)."""
    yield error
    for arg in error.args:
        if isinstance(arg, BaseException):
            yield from _causes(arg)


def _error_line(error: requests.exceptions.RequestException) -> str:
    """The innermost cause in a few words: urllib3's messages repeat the pool and URL several times."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    cause = reason if isinstance(reason, BaseException) else list(_causes(error))[-1]
    text = str(cause).rsplit("): ", 1)[-1]
    return f"{type(error).__name__}: {text}"[:200]
