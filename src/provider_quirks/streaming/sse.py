"""An incremental decoder for ``text/event-stream`` bodies (WHATWG HTML, "Server-sent events").

Providers differ in how they frame the same stream: line endings (Gemini sends CRLF), comments
(``: keep-alive``, ``: OPENROUTER PROCESSING``), event names (Anthropic), a final event cut off
without its blank line. Quirks compare those facts, so the decoder follows the parsing rules to
the letter and also *reports* what the spec silently drops (comments, the line-ending style, the
pending event at end of stream).

It works on whole chunks with ``str.split`` rather than character by character, holds only the
current partial line and event, and makes no assumption about where the transport splits bytes
(inside a CRLF pair, inside a UTF-8 sequence).

Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
"""

from __future__ import annotations

from codecs import utf_8_decode as _utf8_decode
from dataclasses import dataclass
from typing import NamedTuple

from provider_quirks.observation import LineEndings

_LF, _CRLF, _CR = 1, 2, 4
_ENDING_NAMES: dict[int, LineEndings] = {0: "none", _LF: "lf", _CRLF: "crlf", _CR: "cr"}


class StreamText:
    """Transport chunks to text, as every framing needs them.

    UTF-8 with replacement and one leading BOM dropped (as the spec decodes); the bytes of a
    character split across chunks wait for the next chunk. It also records which line endings
    the text used: a ``\r`` ending a chunk is classified once the next chunk shows whether a
    ``\n`` follows, so a CRLF pair split by the transport still counts as CRLF. The C codec is
    called directly, and all this is one method: per-chunk Python calls show at small chunks.
    """

    __slots__ = ("_bom_pending", "_cr_pending", "_seen", "_undecoded")

    def __init__(self) -> None:
        self._undecoded = b""
        self._bom_pending = True
        self._cr_pending = False
        self._seen = 0

    @property
    def line_endings(self) -> LineEndings:
        """``none`` before any terminator, one style, or ``mixed``."""
        return _ENDING_NAMES.get(self._seen | (_CR if self._cr_pending else 0), "mixed")

    def decode(self, chunk: bytes, final: bool = False) -> str:
        if self._undecoded:
            chunk = self._undecoded + chunk
        text, used = _utf8_decode(chunk, "replace", final)
        self._undecoded = chunk[used:]
        if not text:
            return text
        if self._bom_pending:
            self._bom_pending = False
            if text[0] == "\ufeff":
                text = text[1:]
        start = 0
        if self._cr_pending:
            self._cr_pending = False
            start = int(text[:1] == "\n")
            self._seen |= _CRLF if start else _CR
        if "\r" not in text:
            if text.find("\n", start) >= 0:
                self._seen |= _LF
            return text
        crlf = text.count("\r\n", start)
        cr = text.count("\r", start) - crlf
        if text[-1] == "\r":
            cr -= 1
            self._cr_pending = True
        self._seen |= (_CRLF if crlf else 0) | (_CR if cr else 0)
        if text.count("\n", start) > crlf:
            self._seen |= _LF
        return text


class SSEEvent(NamedTuple):
    """One dispatched event.

    ``event`` is None when the block had no (non-empty) ``event:`` field, i.e. when the spec's
    default type ``message`` applies; keeping None tells an explicit name from the default.
    ``id`` is the stream's last event ID at dispatch (it persists across events, per spec), None
    while no ``id:`` field has been seen. ``retry`` is the reconnection time announced in this
    event's block, if any. A NamedTuple rather than a frozen dataclass: one is built per event and
    tuple construction is about twice as cheap, which the benchmark needs.
    """

    event: str | None
    data: str
    id: str | None = None
    retry: int | None = None

    @property
    def type(self) -> str:
        """The event type as the spec dispatches it."""
        return self.event or "message"


_new_event = tuple.__new__


@dataclass(frozen=True)
class StreamEnd:
    """What the spec discards at end of stream, kept so callers can tell a truncated body.

    ``truncated`` is True when the body stopped inside an event (fields read since the last
    blank line) or inside a line. ``discarded`` is the event a final blank line would have
    dispatched (the unterminated last line included); ``partial_line`` is that last line.
    """

    truncated: bool
    discarded: SSEEvent | None
    partial_line: str


class SSEDecoder:
    """Incremental event-stream decoder: ``feed`` bytes as they arrive, then ``close`` once."""

    def __init__(self) -> None:
        self._input = StreamText()
        self._tail: list[str] = []
        self._skip_lf = False
        self._data: str | None = None
        self._more: list[str] = []
        self._event: str | None = None
        self._retry: int | None = None
        self._last_id: str | None = None
        self._open = False
        #: Comment lines seen (lines starting with ``:``).
        self.comments = 0

    @property
    def line_endings(self) -> LineEndings:
        return self._input.line_endings

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Decode one transport chunk; returns the events it completed."""
        text = self._input.decode(chunk)
        if not text:
            return []
        if self._skip_lf and text[0] == "\n":
            text = text[1:]
        if "\r" in text:
            # The CR ending this chunk already ends its line; a LF opening the next is its pair.
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        else:
            self._skip_lf = False
        lines = text.split("\n")
        rest = lines.pop()
        if not lines:
            if rest:
                self._tail.append(rest)
            return []
        if self._tail:
            self._tail.append(lines[0])
            lines[0] = "".join(self._tail)
        self._tail = [rest] if rest else []
        return self._lines(lines)

    def _lines(self, lines: list[str]) -> list[SSEEvent]:
        """Interpret complete lines. One flat loop with local state: this is the hot path.

        The data buffer is kept as the first line plus a list of further lines, so the usual
        one-line event costs neither a list nor a join.
        """
        events: list[SSEEvent] = []
        append = events.append
        new = _new_event
        data, more = self._data, self._more
        event, retry, last_id, opened = self._event, self._retry, self._last_id, self._open
        comments = self.comments
        for line in lines:
            if not line:
                if data is not None:
                    if more:
                        data = "\n".join([data, *more])
                        more = []
                    append(new(SSEEvent, (event, data, last_id, retry)))
                    data = None
                event = retry = None
                opened = False
                continue
            if line.startswith("data: "):
                value = line[6:]
            elif line[0] == ":":
                comments += 1
                continue
            else:
                opened = True
                name, colon, value = line.partition(":")
                if colon and value[:1] == " ":
                    value = value[1:]
                if name == "event":
                    event = value or None
                    continue
                if name == "id":
                    if "\0" not in value:
                        last_id = value
                    continue
                if name == "retry":
                    if value.isascii() and value.isdigit():
                        retry = int(value)
                    continue
                if name != "data":
                    continue
            if data is None:
                data = value
            else:
                more.append(value)
        self._data, self._more = data, more
        self._event, self._retry, self._last_id, self._open = event, retry, last_id, opened
        self.comments = comments
        return events

    def close(self) -> StreamEnd:
        """End of stream: nothing more is dispatched (per spec); report what was pending."""
        # Only an incomplete UTF-8 sequence can be left: replacement characters, never a line end.
        partial = "".join([*self._tail, self._input.decode(b"", final=True)])
        self._tail = []
        truncated = bool(partial or self._data is not None or self._open)
        discarded = None
        if truncated:
            # Run the pending state through a blank line to see what the spec throws away.
            probe = self._lines([partial, ""] if partial[:1] not in ("", ":") else [""])
            discarded = probe[0] if probe else None
        return StreamEnd(truncated, discarded, partial)
