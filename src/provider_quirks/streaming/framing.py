"""The streamed framings that are not event streams, and the choice between framings.

Gemini's ``streamGenerateContent`` without ``alt=sse`` streams *one* JSON array
(``[{...},\\r\\n{...}]``) whose pieces arrive in arbitrary splits; Ollama's native API streams
NDJSON (one object per line, no ``data:`` prefix, no ``[DONE]``); a provider that ignores
``stream: true`` or fails early answers with a plain JSON body. Each decoder here takes bytes as
they arrive and yields parsed JSON values as soon as they are complete, with the same ``feed`` /
``close`` shape as :class:`~provider_quirks.streaming.sse.SSEDecoder`. Values that are not
valid JSON are counted in ``malformed`` and skipped, never raised.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, Protocol

from provider_quirks.observation import LineEndings
from provider_quirks.streaming.sse import StreamText

Framing = Literal["sse", "ndjson", "json-array", "json"]

_NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")
_SSE_FIELDS = (b"data:", b"event:", b"id:", b"retry:", b":")


def pick_framing(content_type: str | None, head: bytes = b"", url: str | None = None) -> Framing:
    """The framing of a streamed body, from its content type, else from its first bytes.

    ``head`` is the start of the body; a body starting with ``[`` is read element by element
    (what ``streamGenerateContent`` sends without ``alt=sse``) unless ``url`` is given and is not
    a ``streamGenerateContent`` call. Without a content type, a body that opens with an SSE field
    or comment is taken as an event stream.
    """
    media = (content_type or "").partition(";")[0].strip().lower()
    if media == "text/event-stream":
        return "sse"
    if media in _NDJSON_TYPES:
        return "ndjson"
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"[") and (url is None or "streamGenerateContent" in url):
        return "json-array"
    if not media and start.startswith(_SSE_FIELDS):
        return "sse"
    return "json"


class ElementDecoder(Protocol):
    """What the JSON framings share, so readers can drive any of them."""

    malformed: int

    def feed(self, chunk: bytes) -> list[Any]: ...

    def close(self) -> list[Any]: ...

    @property
    def truncated(self) -> bool: ...

    @property
    def line_endings(self) -> LineEndings: ...


class _JSONDecoder:
    """What the JSON framings share: decoded input and the parse-or-count step."""

    def __init__(self) -> None:
        self._input = StreamText()
        self._cut = False
        self.malformed = 0

    @property
    def line_endings(self) -> LineEndings:
        return self._input.line_endings

    @property
    def truncated(self) -> bool:
        """True after ``close`` when the body ended inside a value."""
        return self._cut

    def _parse(self, text: str, into: list[Any], *, last: bool = False) -> bool:
        """Parse one value; a bad one is malformed, or a cut if it is where the body ended."""
        try:
            into.append(json.loads(text))
        except ValueError:
            if last:
                self._cut = True
            else:
                self.malformed += 1
            return False
        return True


class NDJSONDecoder(_JSONDecoder):
    """One JSON value per line; blank lines are skipped; the last line may lack its newline."""

    def __init__(self) -> None:
        super().__init__()
        self._tail: list[str] = []

    def feed(self, chunk: bytes) -> list[Any]:
        return self._lines(self._input.decode(chunk))

    def _lines(self, text: str) -> list[Any]:
        lines = text.split("\n")
        rest = lines.pop()
        if lines and self._tail:
            lines[0] = "".join([*self._tail, lines[0]])
            self._tail = []
        if rest:
            self._tail.append(rest)
        values: list[Any] = []
        for line in lines:
            if line.strip():
                self._parse(line, values)
        return values

    def close(self) -> list[Any]:
        values = self._lines(self._input.decode(b"", final=True))
        last = "".join(self._tail).strip()
        self._tail = []
        if last:
            self._parse(last, values, last=True)
        return values


# Outside strings only brackets, braces, commas and quotes matter; inside, quotes and escapes.
_STRUCTURE = re.compile(r'[\[\]{}",]')
_IN_STRING = re.compile(r'["\\]')
_NON_SPACE = re.compile(r"\S")


class JSONArrayDecoder(_JSONDecoder):
    """The elements of one top-level JSON array, each yielded once its last byte has arrived.

    Tracks nesting, strings and escapes by jumping between structural characters with a regex.
    A body that is not an array (an error object, say) is yielded whole as one value.
    """

    def __init__(self) -> None:
        super().__init__()
        self._buf = ""
        self._pos = 0  # next index of _buf to scan
        self._start = 0  # where the element being read begins
        self._base = -1  # nesting depth of elements: 1 inside the array, 0 for a bare value
        self._depth = 0
        self._in_string = False
        self._done = False

    def feed(self, chunk: bytes) -> list[Any]:
        return self._scan(self._input.decode(chunk))

    def close(self) -> list[Any]:
        values = self._scan(self._input.decode(b"", final=True))
        if self._base == 0 and not self._done and not self._depth and not self._in_string:
            # A bare scalar has no closing character: it ends with the body.
            self._done = self._parse(self._buf[self._start :].strip(), values, last=True)
        self._cut = self._base >= 0 and not self._done
        return values

    def _scan(self, text: str) -> list[Any]:
        if self._done or not text:
            return []
        buf = self._buf + text
        values: list[Any] = []
        if self._base < 0:
            first = _NON_SPACE.search(buf)
            if first is None:
                return []
            self._base = self._depth = 1 if first.group() == "[" else 0
            self._start = self._pos = first.end() if self._base else first.start()
        pos, depth, start, base = self._pos, self._depth, self._start, self._base
        in_string = self._in_string
        while True:
            if in_string:
                match = _IN_STRING.search(buf, pos)
                if match is None:
                    pos = len(buf)
                    break
                if match.group() == "\\":
                    if match.end() == len(buf):
                        pos = match.start()  # the escaped character is in the next chunk
                        break
                    pos = match.end() + 1
                    continue
                in_string = False
                pos = match.end()
                continue
            match = _STRUCTURE.search(buf, pos)
            if match is None:
                pos = len(buf)
                break
            char, pos = match.group(), match.end()
            if char == '"':
                in_string = True
            elif char in "[{":
                if depth == base:
                    start = match.start()
                depth += 1
            elif depth == base and base:
                # A separator or the array's end closes a scalar element, if there is one.
                scalar = buf[start : match.start()].strip()
                if scalar:
                    self._parse(scalar, values)
                start = pos
                if char == "]":
                    depth = 0
                    self._done = True
                    break
            elif char in "]}":
                depth -= 1
                if depth == base:
                    self._parse(buf[start:pos], values)
                    start = pos
                    if not base:
                        self._done = True
                        break
        # Keep only the element being read: memory follows element size, not stream length.
        self._buf = buf[start:]
        self._pos, self._start = pos - start, 0
        self._depth, self._in_string = depth, in_string
        return values


class JSONDocumentDecoder(_JSONDecoder):
    """A plain JSON body: buffered whole and parsed at ``close`` as a single value.

    A body that does not parse is reported as cut (``truncated``): the likelier cause, and the
    reader cannot tell a cut from garbage.
    """

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[str] = []

    def feed(self, chunk: bytes) -> list[Any]:
        self._parts.append(self._input.decode(chunk))
        return []

    def close(self) -> list[Any]:
        self._parts.append(self._input.decode(b"", final=True))
        text = "".join(self._parts).strip()
        values: list[Any] = []
        if text:
            self._parse(text, values, last=True)
        return values
