"""What a wire dialect is: everything the suite knows about one request/response format.

A dialect module (``openai_chat``, ``anthropic_messages``, ``gemini_generate``) builds one
:class:`WireDialect`; providers that speak it name it and state only what they do differently
(``providers/definitions.py``). Request helpers return body *fields* (a mapping set on a request
with ``WireRequest.with_fields``), so quirks can combine them and still change one field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from provider_quirks.envelopes import EnvelopeReader
from provider_quirks.observation import Reading, Usage
from provider_quirks.streaming.accumulate import Accumulator
from provider_quirks.wire import WireRequest

if TYPE_CHECKING:
    from provider_quirks.providers.spec import Variant

#: The minimal request's question and output cap, the same on every dialect.
PROMPT = "Say hi"
MAX_TOKENS = 8

#: Request body fields, in the order they are sent.
Fields = dict[str, Any]
#: One turn of a conversation: a role (``user``, ``assistant``, ``system``) and its text.
Turn = tuple[str, str]

#: The schema of a tool that takes no arguments.
NO_PARAMETERS: Mapping[str, Any] = {"type": "object", "properties": {}}


@dataclass(frozen=True)
class Tool:
    """A tool as a quirk declares it; each dialect writes it in its own envelope.

    ``parameters`` is a JSON schema; ``None`` is a tool without arguments, which each dialect
    declares its own way (Gemini rejects an object schema with no properties).
    """

    name: str
    description: str | None = None
    parameters: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class WireDialect:
    """One wire format, as data: the requests it takes and how its answers are read.

    A new dialect is one module that builds one of these, plus its entry in ``DIALECTS``.
    """

    #: The key quirks use for it (``chat_with({"openai-chat": ...})``) and the name in reports.
    name: str
    #: The API reference the shapes below follow.
    docs: str
    #: The smallest valid chat request for a variant: ``PROMPT`` as one user turn, ``MAX_TOKENS`` of output.
    minimal_request: Callable[[Variant], WireRequest]
    #: The same request, asking for a streamed answer (a flag, or another method).
    stream: Callable[[WireRequest], WireRequest]
    #: The fields that carry these turns, in order.
    conversation: Callable[[Sequence[Turn]], Fields]
    #: The fields that declare these tools.
    declare_tools: Callable[[Sequence[Tool]], Fields]
    #: The fields that make the model call the named tool rather than answer in text.
    force_tool: Callable[[str], Fields]
    #: The fields that cap the answer at this many tokens.
    limit_output: Callable[[int], Fields]
    #: The answer of a successful, non-streamed request; unknown fields are ignored.
    read_body: Callable[[Mapping[str, Any]], Reading]
    #: A fresh reader of one streamed answer's decoded chunks.
    stream_accumulator: Callable[[], Accumulator]
    #: The error shapes its servers answer with, tried in order (a provider may name others).
    envelopes: tuple[EnvelopeReader, ...]
    #: The smallest output cap its reference API accepts: the minimal request asks for at least this.
    min_output_tokens: int = 1

    def minimal_cap(self) -> int:
        """The minimal request's output cap: ``MAX_TOKENS``, unless the API refuses so few."""
        return max(MAX_TOKENS, self.min_output_tokens)


def messages(turns: Sequence[Turn]) -> Fields:
    """Turns as ``messages`` of ``role`` and ``content`` text: OpenAI's and Anthropic's shape."""
    return {"messages": [{"role": role, "content": text} for role, text in turns]}


def max_tokens(tokens: int) -> Fields:
    """The output cap as OpenAI's and Anthropic's ``max_tokens``."""
    return {"max_tokens": tokens}


def stream_flag(request: WireRequest) -> WireRequest:
    """``stream: true``: how OpenAI's two APIs and Anthropic's ask for a streamed answer."""
    return request.with_fields({"stream": True})


def int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def usage_counts(usage: Any, input_key: str, output_key: str) -> Usage | None:
    """A usage object's two counts, under each API's own names; None when there is no usage object."""
    if not isinstance(usage, Mapping):
        return None
    return Usage(int_or_none(usage.get(input_key)), int_or_none(usage.get(output_key)))


#: Where a model list keeps its entries, and each entry's id: ``data[].id`` (OpenAI, Mistral,
#: Anthropic, Azure, OpenAI-compatible servers) or ``models[].name`` (Gemini).
_MODEL_LISTS = (("data", "id"), ("models", "name"))


def read_model_list(body: Mapping[str, Any]) -> Reading | None:
    """A ``GET .../models`` answer: the listed ids, in order (one for a single model); None for other bodies.

    Model lists share a shape across dialects far more than chat answers do, so one reader serves all.
    """
    for key, id_key in _MODEL_LISTS:
        entries = body.get(key)
        if isinstance(entries, list) and all(isinstance(e, Mapping) and id_key in e for e in entries):
            return Reading(models=tuple(str(entry[id_key]) for entry in entries))
    if body.get("object") == "model" and isinstance(body.get("id"), str):
        return Reading(models=(body["id"],))  # ``GET .../models/{id}``: the one model it names
    return None
