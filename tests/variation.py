"""How a live re-record differs from the cassette when the provider did not change.

A second live call never returns the same ids, timestamps, fingerprints, token counts, event
counts or text, and whether it stops by itself or at the cap (``stop`` or ``length``) depends on
the prompt and the cap. ``vary`` rewrites a cassette's successful answers in exactly those ways, with
hypothesis drawing the new values, so a test can require that every holding cell still holds:
an expectation that pins a sample value fails here, before it fails a weekly drift check.

Only successful answers (2xx) vary; an error body is the quirk itself. Fields a quirk declares
in ``Quirk.pinned`` (a model list, the raw text a server returns) are left as recorded.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

#: Keys whose string value is an identifier minted per call.
ID_KEYS = frozenset({"id", "responseId", "system_fingerprint", "call_id", "tool_call_id"})
#: Keys whose number is a per-call timestamp.
TIMESTAMP_KEYS = frozenset({"created", "created_at"})
#: Objects whose integers are token counts, in each dialect's words.
USAGE_KEYS = frozenset({"usage", "usageMetadata"})
#: Finish-reason keys, and each dialect's pair "stopped by itself" / "stopped at the cap": which of
#: the two a re-record gets depends on the prompt and the cap, not on the provider.
FINISH_KEYS = frozenset({"finish_reason", "stop_reason", "finishReason"})
FINISH_PAIRS = {"stop": "length", "end_turn": "max_tokens", "STOP": "MAX_TOKENS"}
FINISH_SWAPS = {**FINISH_PAIRS, **{cap: own for own, cap in FINISH_PAIRS.items()}}

Draw = Callable[[st.SearchStrategy[Any]], Any]


@dataclass(frozen=True)
class Leave:
    """What a quirk's ``pinned`` fields protect from variation."""

    ids: bool = False
    text: bool = False
    usage: bool = False
    events: bool = False
    finish: bool = False

    @classmethod
    def of(cls, pinned: tuple[str, ...]) -> Leave:
        return cls(
            ids="models" in pinned,
            text="text" in pinned,
            usage="usage" in pinned,
            events="stream.events" in pinned,
            finish="finish_reason" in pinned,
        )


def vary(cassette: dict[str, Any], pinned: tuple[str, ...], draw: Draw) -> dict[str, Any]:
    """A copy of a loaded cassette (our YAML as data) whose successful answers vary like a re-record's."""
    values = NewValues(draw, Leave.of(pinned))
    interactions = []
    for interaction in cassette["interactions"]:
        response = interaction["response"]
        if 200 <= int(response["status"]["code"]) < 300:
            response = {**response, "body": _vary_body(response["body"], values)}
        interactions.append({**interaction, "response": response})
    return {**cassette, "interactions": interactions}


class NewValues:
    """The re-record's values, one draw per distinct old value: a stream repeats its id in every chunk."""

    def __init__(self, draw: Draw, leave: Leave) -> None:
        self.draw, self.leave = draw, leave
        self.seen: dict[tuple[str, Any], Any] = {}

    def _once(self, kind: str, old: Any, strategy: st.SearchStrategy[Any]) -> Any:
        if (kind, old) not in self.seen:
            self.seen[kind, old] = self.draw(strategy)
        return self.seen[kind, old]

    def new_id(self, old: str) -> str:
        """A fresh id with the old one's prefix (``chatcmpl-``, ``msg_``, ``call_``), as providers mint them."""
        prefix = re.match(r"^[a-z]+[-_]", old)
        body = self._once("id", old, st.text(string.ascii_letters + string.digits, min_size=8, max_size=24))
        return (prefix.group(0) if prefix else "") + body

    def timestamp(self, old: int) -> int:
        return int(self._once("time", old, st.integers(min_value=1_600_000_000, max_value=2_000_000_000)))

    def text(self) -> str:
        words = st.text(string.ascii_letters + " .!", min_size=1, max_size=24).filter(lambda text: text.strip() != "")
        return str(self._once("text", None, words))

    def count(self, old: int) -> int:
        """Never above the recorded count (a re-record stays under the same cap), at least one."""
        return int(self._once("count", old, st.integers(min_value=min(old, 1), max_value=old)))

    def finish_reason(self, old: str) -> str:
        """The same reason, or its pair (``stop`` and ``length``): one choice for the whole answer."""
        swapped = self._once("finish", None, st.booleans())
        return FINISH_SWAPS[old] if swapped else old

    def pick(self, kind: str, options: list[Any]) -> Any:
        return self.draw(st.sampled_from(options)) if options else None


def _vary_body(body: dict[str, Any], values: NewValues) -> dict[str, Any]:
    if "json" in body:
        value = body["json"]
        if isinstance(value, list) and not values.leave.events:  # a JSON-array stream: one chunk per element
            value = _add_or_remove_content_event(value, _is_content_event, _emptied, values)
        return {**body, "json": _vary_value(value, values)}
    text = body.get("string")
    if isinstance(text, str) and "data:" in text:
        return {**body, "string": _vary_event_stream(text, values)}
    return body


def _vary_value(value: Any, values: NewValues, in_usage: bool = False) -> Any:
    leave = values.leave
    if isinstance(value, dict):
        varied = {}
        for key, inner in value.items():
            if key in ID_KEYS and isinstance(inner, str) and not leave.ids:
                varied[key] = values.new_id(inner)
            elif key in TIMESTAMP_KEYS and isinstance(inner, int) and not isinstance(inner, bool):
                varied[key] = values.timestamp(inner)
            elif _is_text_field(value, key) and not leave.text:
                varied[key] = values.text()
            elif key in FINISH_KEYS and inner in FINISH_SWAPS and not leave.finish:
                varied[key] = values.finish_reason(inner)
            else:
                varied[key] = _vary_value(inner, values, in_usage or key in USAGE_KEYS)
        return varied
    if isinstance(value, list):
        return [_vary_value(inner, values, in_usage) for inner in value]
    if in_usage and isinstance(value, int) and not isinstance(value, bool) and not leave.usage:
        return values.count(value)
    return value


def _is_text_field(parent: dict[str, Any], key: str) -> bool:
    """Generated text: a chat message or delta's ``content``, an Anthropic text block or delta, a Gemini part."""
    value = parent.get(key)
    if not isinstance(value, str) or not value:
        return False
    if key == "content":
        return parent.get("role") in (None, "assistant") and "tool_call_id" not in parent
    if key == "text":
        return parent.get("type") in (None, "text", "text_delta") and not parent.get("thought")
    return False


# --- event streams ----------------------------------------------------------------------------


def _vary_event_stream(text: str, values: NewValues) -> str:
    """Vary each ``data:`` payload, and add or remove one content event, keeping every line ending."""
    blocks = _event_blocks(text)
    if not values.leave.events:
        blocks = _add_or_remove_content_event(blocks, _block_is_content, _emptied_block, values)
    return "".join(line for block in blocks for line in _vary_block(block, values))


def _event_blocks(text: str) -> list[list[str]]:
    """Lines grouped into events: each block is an event's lines plus the blank lines after it."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if line.strip() == "":
            blocks[-1].append(line)
        elif blocks[-1] and blocks[-1][-1].strip() == "":
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return [block for block in blocks if block]


def _payload(line: str) -> tuple[str, Any, str] | None:
    """``(prefix, parsed JSON, line ending)`` of a ``data:`` line carrying JSON, else None."""
    match = re.match(r"^(data: ?)(.*?)(\r\n|\r|\n)?$", line, re.DOTALL)
    if not match:
        return None
    try:
        return match.group(1), json.loads(match.group(2)), match.group(3) or ""
    except ValueError:
        return None


def _vary_block(block: list[str], values: NewValues) -> list[str]:
    lines = []
    for line in block:
        payload = _payload(line)
        if payload is None:
            lines.append(line)
            continue
        prefix, parsed, ending = payload
        compact = ", " not in line and ": " not in line[len(prefix) :]
        separators = (",", ":") if compact else (", ", ": ")
        lines.append(prefix + json.dumps(_vary_value(parsed, values), separators=separators) + ending)
    return lines


def _block_is_content(block: list[str]) -> bool:
    return any((payload := _payload(line)) is not None and _is_content_event(payload[1]) for line in block)


def _emptied_block(block: list[str]) -> list[str]:
    emptied = []
    for line in block:
        payload = _payload(line)
        if payload is None:
            emptied.append(line)
        else:
            prefix, parsed, ending = payload
            emptied.append(prefix + json.dumps(_emptied(parsed)) + ending)
    return emptied


def _is_content_event(event: Any) -> bool:
    """An event that carries only generated text (no usage, no finish reason, no tool call)."""
    if not isinstance(event, dict) or event.get("usage") or event.get("usageMetadata"):
        return False
    if event.get("type") == "content_block_delta":  # Anthropic
        return (event.get("delta") or {}).get("type") == "text_delta"
    choices = event.get("choices")
    if isinstance(choices, list) and len(choices) == 1:  # OpenAI chat style
        choice = choices[0]
        delta = choice.get("delta") or {}
        return (
            choice.get("finish_reason") is None
            and isinstance(delta.get("content"), str)
            and set(delta)
            <= {
                "content",
                "role",
            }
        )
    candidates = event.get("candidates")
    if isinstance(candidates, list) and len(candidates) == 1:  # Gemini
        candidate = candidates[0]
        parts = (candidate.get("content") or {}).get("parts") or []
        return not candidate.get("finishReason") and bool(parts) and all(set(p) == {"text"} for p in parts)
    return False


def _emptied(event: Any) -> Any:
    """The same content event with empty text: what a provider sends as a keep-alive delta."""
    if not isinstance(event, dict):
        return event
    emptied = json.loads(json.dumps(event))
    if emptied.get("type") == "content_block_delta":
        emptied["delta"]["text"] = ""
    elif "choices" in emptied:
        emptied["choices"][0]["delta"] = {"content": ""}
    elif "candidates" in emptied:
        emptied["candidates"][0]["content"]["parts"] = [{"text": ""}]
    return emptied


def _add_or_remove_content_event(
    items: list[Any], is_content: Callable[[Any], bool], emptied: Callable[[Any], Any], values: NewValues
) -> list[Any]:
    """One more (empty) content event after a content event, or one fewer where two or more remain."""
    content = [index for index, item in enumerate(items) if is_content(item)]
    if not content:
        return items
    change = values.pick("change", ["same", "more"] + (["fewer"] if len(content) >= 2 else []))
    index = values.pick("event", content)
    if change == "more":
        return [*items[: index + 1], emptied(items[index]), *items[index + 1 :]]
    if change == "fewer":
        return [*items[:index], *items[index + 1 :]]
    return items
