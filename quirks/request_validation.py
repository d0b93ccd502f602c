"""request-validation: how a server answers requests that are broken in the ways clients break them.

The probes derive each broken request from the target's own minimal chat request, so only the
one defect differs from a request the target accepts.
"""

import json
from dataclasses import replace

from provider_quirks.quirk import Probe, Quirk, chat_with, every_dialect
from provider_quirks.targets import CORE_TARGETS
from provider_quirks.tools import TOOL_NAME, TOOL_PROMPT, tools_field
from provider_quirks.wire import REMOVE, NotApplicable, RawBody, WireRequest

_UNKNOWN_MODEL = "no-such-model"
_CALL_ID = "abc123xyz"  # nine alphanumerics: valid on Mistral too (see tool-call-id-format)
_TOOL_TURN_WITH_NULL_CONTENT = {
    "messages": [
        {"role": "user", "content": TOOL_PROMPT},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": _CALL_ID,
                    "type": "function",
                    "function": {"name": TOOL_NAME, "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": _CALL_ID, "content": "sunny"},
    ],
    **tools_field("openai-chat"),
}


def _truncated_json(chat: WireRequest) -> WireRequest:
    """The minimal request's own JSON with its last two characters cut off: not parseable."""
    return replace(chat, body=RawBody(json.dumps(chat.body).encode()[:-2]))


def _gemini_model(chat: WireRequest) -> WireRequest:
    """Gemini names the model in the path: ``/v1beta/models/{model}:generateContent``."""
    prefix, _, method = chat.path.rpartition(":")
    return replace(chat, path=f"{prefix.rsplit('/', 1)[0]}/{_UNKNOWN_MODEL}:{method}")


QUIRK = Quirk(
    id="request-validation",
    title="Malformed requests, unknown models, missing fields",
    category="request validation",
    targets=CORE_TARGETS,
    summary=(
        "Servers that speak the same API disagree on how to refuse a broken request. OpenAI is reported to "
        "answer 400 to malformed JSON or a missing messages field and 404 model_not_found to an unknown "
        "model (its cells wait for a recording). "
        "llama.cpp's llama-server answers malformed JSON with 500, ignores the model name (it serves its "
        "one model) and rejects a missing messages field with 400; llama-cpp-python's server answers "
        "malformed JSON with a plain-text 500, ignores the model name, generates a reply without "
        "messages, and rejects an assistant tool-call turn whose content is null with 500."
    ),
    why_it_matters=(
        "Retry logic treats 5xx as transient: a client that retries a 500 for malformed JSON retries a "
        "request that can never succeed, and a typo in a model name that a local server ignores passes "
        "every local test and fails in production."
    ),
    workaround=(
        "Validate requests on the client (JSON, required fields, model names against GET /models); send "
        'assistant tool-call turns with content "" where a server rejects null; do not retry a 500 whose '
        "body names a parse or validation error."
    ),
    sources=("https://platform.openai.com/docs/guides/error-codes",),
    probes=(
        Probe(
            id="malformed-json",
            summary="the minimal request's JSON cut short by two characters",
            build=chat_with(every_dialect(_truncated_json)),
        ),
        Probe(
            id="unknown-model",
            summary=f"model {_UNKNOWN_MODEL!r}",
            build=chat_with(
                {
                    "azure_openai": NotApplicable("the deployment named in the URL chooses the model"),
                    "openai-chat": {"model": _UNKNOWN_MODEL},
                    "anthropic-messages": {"model": _UNKNOWN_MODEL},
                    "gemini-generate": _gemini_model,
                }
            ),
        ),
        Probe(
            id="missing-messages",
            summary="no messages (Gemini: no contents) at all",
            build=chat_with(
                {
                    "openai-chat": {"messages": REMOVE},
                    "anthropic-messages": {"messages": REMOVE},
                    "gemini-generate": {"contents": REMOVE},
                }
            ),
        ),
        Probe(
            id="tool-turn-null-content",
            summary="an assistant turn with tool_calls and content: null, then the tool's result",
            build=chat_with({"openai-chat": _TOOL_TURN_WITH_NULL_CONTENT}, otherwise="OpenAI-style tool turns only"),
        ),
        Probe(
            id="well-formed",
            summary="the minimal valid request",
            build=chat_with(every_dialect({})),
            workaround=True,
        ),
    ),
)
