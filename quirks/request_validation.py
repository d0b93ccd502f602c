"""request-validation: how a server answers requests that are broken in the ways clients break them.

The probes derive each broken request from the target's own minimal chat request, so only the
one defect differs from a request the target accepts.
"""

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from provider_quirks.dialects import OPENAI_CHAT
from provider_quirks.quirk import Probe, Quirk, chat_with, every_dialect
from provider_quirks.targets import CORE_TARGETS
from provider_quirks.tools import TOOL_NAME, TOOL_PROMPT, WEATHER_TOOL
from provider_quirks.wire import REMOVE, NotApplicable, RawBody, WireRequest

_UNKNOWN_MODEL = "no-such-model"
#: The unknown model each hosted target's quoted answer names, so that the quote answers the probe.
_QUOTED_UNKNOWN_MODELS = {
    "mistral@mistral-small-latest": "API",  # lfnovo/open-notebook#441
    "anthropic@claude-haiku-4-5": "sonnet4",  # anthropics/claude-code#5349
    "gemini@gemini-2.5-flash": "gemini-1.0-pro",  # wwardaww/gnome-gemini-ai#21 (a retired model)
    "openai_compatible@vllm": "Qwen1.5-14B-Chat-GPTQ-Int8",  # vllm-project/vllm#3485 (a name the server does not serve)
    "openai_compatible@ollama": "ollama",  # netease-youdao/QAnything#555 (a model the server had not pulled)
    "anthropic_compatible@ollama": "claude-haiku-4-5-20251001",  # ollama/ollama#13939 (Claude Code's default)
}
_CALL_ID = "abc123xyz"  # nine alphanumerics: valid on Mistral too (see tool-call-id-format)


def _tool_turn(prompt: str, call_id: str, name: str, arguments: str, result: str) -> list[dict[str, Any]]:
    """A question, the assistant's call to ``name`` with content null, then the tool's result."""
    call = {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
    return [
        {"role": "user", "content": prompt},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": call_id, "content": result},
    ]


_TOOL_TURN_WITH_NULL_CONTENT = {
    "messages": _tool_turn(TOOL_PROMPT, _CALL_ID, TOOL_NAME, '{"city": "Paris"}', "sunny"),
    **OPENAI_CHAT.declare_tools([WEATHER_TOOL]),
}
# The second request of pydantic-ai's recorded test_openai_tool_output, which the openai@gpt-4o cell quotes: its
# history, with the one tool that history calls. The source also declared its output tool, forced a call with
# tool_choice required and set no cap; those decide what the answer says, not whether the null content passes.
_PYDANTIC_AI_TOOL_TURN = {
    "messages": _tool_turn(
        "What is the largest city in the user country?",
        "call_55Y1MexM7u2PSyLKUqMvO1o0",
        "get_user_country",
        "{}",
        "Mexico",
    ),
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "get_user_country",
                "parameters": {"additionalProperties": False, "properties": {}, "type": "object"},
            },
        }
    ],
}


def _truncated_json(chat: WireRequest) -> WireRequest:
    """The minimal request's own JSON with its last two characters cut off: not parseable."""
    return replace(chat, body=RawBody(json.dumps(chat.body).encode()[:-2]))


def _model_named(model: str) -> Callable[[WireRequest], WireRequest]:
    """The request with ``model`` in place of the target's; Gemini names it in the path."""

    def change(chat: WireRequest) -> WireRequest:
        if chat.path.endswith(":generateContent"):
            prefix, _, method = chat.path.rpartition(":")
            return replace(chat, path=f"{prefix.rsplit('/', 1)[0]}/{model}:{method}")
        return chat.with_fields({"model": model})

    return change


QUIRK = Quirk(
    id="request-validation",
    title="Malformed requests, unknown models, missing fields",
    category="request validation",
    targets=(*CORE_TARGETS, "openai@gpt-4o"),
    summary=(
        "Servers that speak the same API disagree on how to refuse a broken request. OpenAI answers a body that "
        "is not JSON with 400 invalid_request_error 'We could not parse the JSON body of your request'. An unknown "
        "model is a 404 on Anthropic (not_found_error 'model: <name>'), Gemini (NOT_FOUND 'models/<name> is not "
        "found for API version v1beta') and vLLM (NotFoundError 'The model `<name>` does not exist.'), but a 400 "
        "on Mistral (invalid_model, code 1500) and on OpenAI's Responses API (invalid_request_error, code "
        "model_not_found, param model). Anthropic rejects a request without messages with 400 'messages: "
        "Field required'. OpenAI accepts an assistant tool-call turn whose content is null (recorded on gpt-4o). "
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
    sources=(
        "https://platform.openai.com/docs/guides/error-codes",
        "https://github.com/kdalanon/ChatGPT-AutoHotkey-Utility/issues/14",
        "https://github.com/anthropics/claude-code/issues/5349",
        "https://github.com/sourcegraph/sourcegraph-public-snapshot/pull/61586",
        "https://github.com/wwardaww/gnome-gemini-ai/issues/21",
        "https://github.com/lfnovo/open-notebook/issues/441",
        "https://github.com/vllm-project/vllm/issues/3485",
        "https://github.com/pydantic/pydantic-ai/blob/d5bd13be4e097003086ae943b616c4acb886062d/tests/cassettes/"
        "test_model_name_suggestions/test_model_name_suggestion%5Bopenai-responses%5D.yaml",
    ),
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
                    **{target: _model_named(model) for target, model in _QUOTED_UNKNOWN_MODELS.items()},
                    "azure_openai": NotApplicable("the deployment named in the URL chooses the model"),
                    **every_dialect(_model_named(_UNKNOWN_MODEL)),
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
            build=chat_with(
                {"openai@gpt-4o": _PYDANTIC_AI_TOOL_TURN, "openai-chat": _TOOL_TURN_WITH_NULL_CONTENT},
                otherwise="OpenAI-style tool turns only",
            ),
        ),
        Probe(
            id="well-formed",
            summary="the minimal valid request",
            build=chat_with(every_dialect({})),
            shows_workaround=True,
        ),
    ),
)
