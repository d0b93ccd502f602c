"""What one SDK call did, as an observation dict that ``matching.py`` checks like a REST one.

Every HTTP request the SDK sends goes through ``httpx2.Client.send`` (all four SDKs use httpx2,
which vcrpy patches); wrapping it records each attempt as sent (method, path, query, JSON body),
including retries. ``time.sleep`` is replaced for the call, so a retry's backoff takes no time
while the retry count stays the SDK's default. The call's own facts (attribute paths, values)
come from the probe; an exception becomes its class and status.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypedDict
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

from vcr.errors import CannotOverwriteExistingCassetteException


class _Sent(TypedDict):
    method: str
    path: str
    query: dict[str, str]
    body: Any
    answered: bool


class SentRequest(_Sent, total=False):
    """One HTTP request the SDK sent (each retry is one)."""

    #: Set by the runner: the replayed answer was given to exactly this body.
    as_evidence: bool


class Raised(TypedDict, total=False):
    """The exception an SDK call raised: its public class, status and message."""

    type: str
    status: int
    message: str


class SdkObservation(TypedDict):
    """What one SDK call did; expectations of SDK quirks name these fields (``observed_fields``)."""

    sdk: dict[str, str]
    requests: int
    sent: list[SentRequest]
    outcome: str
    raised: Raised | None
    #: The probe's own facts about the returned value (attribute paths, values).
    result: dict[str, Any] | None


def body_value(content: bytes) -> Any:
    if not content:
        return None
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


@contextmanager
def capturing() -> Iterator[list[SentRequest]]:
    """Record every request sent inside the block; no sleeping (retry backoff) meanwhile."""
    httpx2 = importlib.import_module("httpx2")
    sent: list[SentRequest] = []
    original = httpx2.Client.send

    def send(client: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        url = urlsplit(str(request.url))
        record: SentRequest = {
            "method": request.method,
            "path": url.path,
            "query": dict(parse_qsl(url.query)),
            "body": body_value(request.read()),
            "answered": True,
        }
        sent.append(record)
        try:
            return original(client, request, *args, **kwargs)
        except CannotOverwriteExistingCassetteException:
            # No evidence answers this request: the SDK now sends something the cell never sent.
            record["answered"] = False
            raise

    with mock.patch.object(httpx2.Client, "send", send), mock.patch("time.sleep"):
        yield sent


def raised(error: BaseException) -> Raised:
    """The exception by its public module (``openai.BadRequestError``, not ``openai._exceptions``), with its status."""
    kind = type(error)
    public = [part for part in kind.__module__.split(".")]
    module = ".".join(public[: next((i for i, part in enumerate(public) if part.startswith("_")), len(public))])
    found: Raised = {"type": f"{module}.{kind.__name__}"}
    status = getattr(error, "status_code", None) or getattr(error, "code", None)
    if isinstance(status, int):
        found["status"] = status
    found["message"] = str(error)[:300]
    return found


def observe_call(call: Callable[[], Mapping[str, Any]], sdk: Mapping[str, str]) -> dict[str, Any]:
    """Run ``call`` and describe it: requests sent, then what it returned or raised."""
    with capturing() as sent:
        try:
            result: Mapping[str, Any] | None = call()
            error = None
        except Exception as exception:  # the SDK's own behaviour is what is observed
            result, error = None, exception
    # "unanswered": no evidence answers what the SDK sent, so only the request is observed.
    unanswered = any(not record["answered"] for record in sent)
    outcome = "unanswered" if unanswered else "raised" if error else "returned"
    observation: SdkObservation = {
        "sdk": dict(sdk),
        "requests": len(sent),
        "sent": sent,
        "outcome": outcome,
        # unanswered: the error is the replay's ("no recorded answer", with local paths), not the SDK's
        "raised": raised(error) if error and not unanswered else None,
        "result": dict(result) if result is not None else None,
    }
    return dict(observation)


def path_value(value: Any, path: str) -> Any:
    """``value.a.0.b`` (attributes, mapping keys, list indexes), or None where a step is missing."""
    for step in path.split("."):
        if step.isdigit() and isinstance(value, Sequence) and not isinstance(value, str):
            value = value[int(step)] if int(step) < len(value) else None
        elif isinstance(value, Mapping):
            value = value.get(step)
        else:
            value = getattr(value, step, None)
        if value is None:
            return None
    return value


def where(items: Sequence[Any], path: str) -> str:
    """On which items of a stream ``path`` holds a value: none, all, first, last, or some."""
    present = [index for index, item in enumerate(items) if path_value(item, path) is not None]
    if not present:
        return "none"
    if len(present) == len(items):
        return "all"
    if present == [len(items) - 1]:
        return "last"
    if present == [0]:
        return "first"
    return "some"


def describe(observed: Mapping[str, Any]) -> str:
    """One line for the report: ``openai 3.57.0, 1 request, returned``."""
    sdk = observed.get("sdk") or {}
    count = observed.get("requests")
    words = f"{sdk.get('package')} {sdk.get('version')}, {count} request{'s' if count != 1 else ''}, "
    failure = observed.get("raised") or {}
    if observed.get("outcome") == "unanswered":
        return words + "request observed, no evidence answer"
    if failure:
        status = f" {failure['status']}" if failure.get("status") else ""
        return words + f"raised {failure.get('type')}{status}"
    return words + "returned"
