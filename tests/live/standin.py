"""A stand-in for the providers, on 127.0.0.1: a test double, never the source of a committed cassette.

Every provider gets its own base URL on one server (``/<provider>/...``), so a test can point
all the ``*_BASE_URL`` variables at it, change one provider's behaviour and tell the providers'
requests apart. Answers follow each provider's dialect closely enough for the suite's readers:
success bodies with usage, and error envelopes naming the offending field. Behaviour is set per
provider: fields rejected, replies served first (a 503, a 429 with ``retry-after``, a reset
connection, a request never answered, raw bytes cut short), one reply to every request (an
outage), a delay, the expected key (a wrong key gets a 401 that echoes it, like OpenAI's).
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from provider_quirks.providers import PROVIDERS

RESET = "reset"  # a queued reply that closes the connection without answering
HANG = "hang"  # a queued reply that never comes: the request is read and the connection left open
CLOSE = "close"  # after a Raw body: the connection is closed (FIN) before the body's end


@dataclass
class Raw:
    """An answer sent byte for byte: a proxy's HTML page, a body that is not JSON, a stream.

    ``then`` cuts the body: the bytes go out as a chunk of a chunked body that never gets its last
    chunk, then the connection is reset (``RESET``), closed (``CLOSE``) or left open (``HANG``).
    """

    status: int
    content_type: str
    body: bytes
    then: str | None = None


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    provider: str
    path: str
    headers: dict[str, str]
    body: Any
    started: float
    finished: float = 0.0


@dataclass
class Behaviour:
    rejected: set[str] = field(default_factory=set)
    queue: list[Reply | Raw | str] = field(default_factory=list)
    #: the answer to every request once the queue is empty (an outage)
    always: Reply | Raw | str | None = None
    delay: float = 0.0
    key: str | None = None
    #: the request with this index (counting this provider's requests from 0) waits on ``release``
    hold_at: int | None = None
    echo_key: bool = False


class StandIn:
    def __init__(self) -> None:
        self.behaviour: dict[str, Behaviour] = {name: Behaviour() for name in PROVIDERS}
        self.seen: list[Seen] = []
        self.held = threading.Event()
        self.release = threading.Event()
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.max_total_in_flight = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def base_url(self, provider: str) -> str:
        openai_style = PROVIDERS[provider].dialect.name in ("openai-chat", "openai-responses")
        suffix = "/v1" if openai_style and provider != "azure_openai" else ""
        return f"http://127.0.0.1:{self.port}/{provider}{suffix}"

    def environ(self, keys: dict[str, str]) -> dict[str, str]:
        """Base URLs of every provider pointed here, plus the given keys (provider -> key)."""
        env: dict[str, str] = {}
        # Two APIs of one account share a variable (OpenAI's chat and Responses): a keyed provider
        # keeps it, else the first declared.
        for name in sorted(PROVIDERS, key=lambda name: name not in keys):
            env.setdefault(PROVIDERS[name].base_url_env, self.base_url(name))
        env.update({PROVIDERS[name].key_env: key for name, key in keys.items()})
        return env

    def requests_of(self, provider: str) -> list[Seen]:
        return [s for s in self.seen if s.provider == provider]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    # --- answering ---------------------------------------------------------------------------

    def answer(self, provider: str, path: str, headers: dict[str, str], raw: bytes) -> Reply | Raw | str:
        behaviour = self.behaviour[provider]
        text = raw.decode("utf-8", errors="replace")
        if behaviour.hold_at is not None and len(self.requests_of(provider)) == behaviour.hold_at + 1:
            self.held.set()
            self.release.wait(60)
        if behaviour.delay:
            time.sleep(behaviour.delay)
        with self._lock:
            queued = behaviour.queue.pop(0) if behaviour.queue else None
        if queued is not None:
            return queued
        if behaviour.always is not None:
            return behaviour.always
        presented = _presented_key(headers)
        if behaviour.key is not None and presented != behaviour.key:
            return _auth_error(provider, presented)
        try:
            body = json.loads(text) if text else {}
        except ValueError:
            return Reply(400, {"error": {"message": "We could not parse the JSON body", "type": "invalid_json"}})
        offending = sorted(behaviour.rejected & set(body))
        if offending:
            return _rejection(provider, offending[0], presented if behaviour.echo_key else None)
        reply = _success(provider, body, path)
        if behaviour.echo_key and presented:
            # Every place a careless server could put the key: headers, cookie, body.
            reply.headers.update({"x-echo-key": presented, "set-cookie": f"session={presented}"})
            reply.body["echo"] = {"key": presented, "note": f"called with {presented}"}
        return reply

    def track(self, provider: str, delta: int) -> None:
        with self._lock:
            self._in_flight[provider] = self._in_flight.get(provider, 0) + delta
            self.max_in_flight[provider] = max(self.max_in_flight.get(provider, 0), self._in_flight[provider])
            self.max_total_in_flight = max(self.max_total_in_flight, sum(self._in_flight.values()))


def _presented_key(headers: dict[str, str]) -> str | None:
    for name in ("authorization", "api-key", "x-api-key", "x-goog-api-key"):
        if headers.get(name):
            return headers[name].removeprefix("Bearer ")
    return None


def _usage(dialect: str) -> dict[str, int]:
    if dialect == "openai-responses":
        return {"input_tokens": 9, "output_tokens": 2, "total_tokens": 11}
    if dialect == "anthropic-messages":
        return {"input_tokens": 9, "output_tokens": 2}
    if dialect == "gemini-generate":
        return {"promptTokenCount": 3, "candidatesTokenCount": 1, "totalTokenCount": 4}
    return {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}


def _success(provider: str, body: dict[str, Any], path: str) -> Reply:
    dialect = PROVIDERS[provider].dialect.name
    if dialect == "anthropic-messages":
        return Reply(
            200,
            {
                "id": "msg_01StandIn",
                "type": "message",
                "role": "assistant",
                "model": body.get("model"),
                "content": [{"type": "text", "text": "Hi"}],
                "stop_reason": "end_turn",
                "usage": _usage(dialect),
            },
        )
    if dialect == "openai-responses":
        message = {"type": "message", "id": "msg_standin", "status": "completed", "role": "assistant"}
        output = [{**message, "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}]
        answer = {"id": "resp_standin", "object": "response", "status": "completed", "model": body.get("model")}
        return Reply(200, {**answer, "output": output, "usage": _usage(dialect)})
    if dialect == "gemini-generate":
        return Reply(
            200,
            {
                "candidates": [{"content": {"role": "model", "parts": [{"text": "Hi"}]}, "finishReason": "STOP"}],
                "usageMetadata": _usage(dialect),
                "modelVersion": path.rsplit("/", 1)[-1].split(":")[0],
            },
        )
    return Reply(
        200,
        {
            "id": "chatcmpl-standin",
            "object": "chat.completion",
            "created": 1700000000,
            "model": body.get("model", "deployment"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
            "usage": _usage(dialect),
        },
    )


def _rejection(provider: str, name: str, echo: str | None = None) -> Reply:
    """The dialect's error envelope naming the field; ``echo`` puts the caller's key in the message."""
    dialect = PROVIDERS[provider].dialect.name
    said = f" (request made with key {echo})" if echo else ""
    if dialect == "anthropic-messages":
        message = f"{name}: Extra inputs are not permitted{said}"
        return Reply(400, {"type": "error", "error": {"type": "invalid_request_error", "message": message}})
    if dialect == "gemini-generate":
        message = f'Invalid JSON payload received. Unknown name "{name}": Cannot find field.{said}'
        return Reply(400, {"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}})
    message = f"Unrecognized request argument supplied: {name}{said}"
    return Reply(400, {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}})


def _auth_error(provider: str, presented: str | None) -> Reply:
    message = f"Incorrect API key provided: {presented}. You can find your API key in your account settings."
    if PROVIDERS[provider].dialect.name == "anthropic-messages":
        return Reply(401, {"type": "error", "error": {"type": "authentication_error", "message": message}})
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}
    return Reply(401, body)


def _handler(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            provider = self.path.lstrip("/").split("/", 1)[0]
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                parsed: Any = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw.decode("utf-8", errors="replace")
            seen = Seen(provider, self.path, headers, parsed, time.monotonic())
            with stand_in._lock:
                stand_in.seen.append(seen)
            if provider not in stand_in.behaviour:
                self._send(Reply(404, {"detail": "Not Found"}))
                return
            stand_in.track(provider, +1)
            try:
                reply = stand_in.answer(provider, self.path, headers, raw)
            finally:
                stand_in.track(provider, -1)
                seen.finished = time.monotonic()
            if isinstance(reply, Raw):
                self._send_raw(reply)
            elif isinstance(reply, Reply):
                self._send(reply)
            else:
                self._end(reply)

        def _end(self, how: str) -> None:
            """End the exchange without (the rest of) an answer: reset, close or hang."""
            self.close_connection = True
            if how == HANG:
                stand_in.stopped.wait()
            elif how == RESET:
                # RST instead of FIN: the client sees "connection reset by peer".
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()

        def _send_raw(self, raw: Raw) -> None:
            self.send_response(raw.status)
            self.send_header("content-type", raw.content_type)
            if raw.then is None:
                self.send_header("content-length", str(len(raw.body)))
                self.end_headers()
                self.wfile.write(raw.body)
                return
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(raw.body), raw.body))
            self.wfile.flush()
            self._end(raw.then)

        def _send(self, reply: Reply) -> None:
            data = json.dumps(reply.body).encode("utf-8")
            try:
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except ConnectionError:
                self.close_connection = True  # the client gave up waiting (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests assert on ``seen`` instead."""

    return Handler


@contextmanager
def running() -> Iterator[StandIn]:
    stand_in = StandIn()
    stand_in.start()
    try:
        yield stand_in
    finally:
        stand_in.stop()
