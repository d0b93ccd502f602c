"""responses-state: what a Responses API server does with the fields that ask it to keep state."""

from provider_quirks.dialects import OPENAI_RESPONSES, PROMPT
from provider_quirks.quirk import Probe, Quirk, chat_with
from provider_quirks.targets import core_targets_of

NOT_RESPONSES = "a field of the Responses API only"
#: A conversation kept by the client: what a stateless server needs instead of previous_response_id.
_TURNS = OPENAI_RESPONSES.conversation([("user", "Hello"), ("assistant", "Hi! How can I help?"), ("user", PROMPT)])[
    "input"
]
_UNTYPED_ANSWER = {"role": "assistant", "content": "Hi! How can I help?"}

QUIRK = Quirk(
    id="responses-state",
    title="Responses API: stored responses and previous_response_id",
    category="request validation",
    claim=(
        "OpenAI's Responses API keeps state: store (true by default) saves a response, and previous_response_id "
        "continues from one, so a client sends only the new turn."
    ),
    summary=(
        "On OpenAI the Responses API stores answers by default and resolves previous_response_id to the stored "
        "conversation. A server that keeps no state cannot: llama.cpp's llama-server accepts store: true and "
        'stores nothing, and refuses previous_response_id with 400 "llama.cpp does not support '
        "'previous_response_id'.\"; LiteLLM's proxy in front of it (1.108.7) passes the same refusal through. "
        "A client that keeps the conversation itself must type its assistant items there: OpenAI accepts "
        '{role: assistant, content} with or without type: message, llama-server refuses it without (400 "Cannot '
        "determine type of 'item'\"), also through LiteLLM. The state fields are where 'Responses-compatible' "
        "servers differ most from OpenAI."
    ),
    why_it_matters=(
        "A client written for OpenAI sends only the new turn plus previous_response_id; against a stateless "
        "server it gets a 400, or, where the field is dropped silently, an answer that has lost the conversation."
    ),
    workaround=(
        "Against anything but OpenAI, send the whole conversation in input with store: false and no "
        "previous_response_id, each assistant turn as {type: message, role: assistant, content}; treat stored "
        "state as an OpenAI feature."
    ),
    sources=(
        "https://platform.openai.com/docs/api-reference/responses/create",
        "https://github.com/abetlen/llama-cpp-python/tree/v0.3.36/vendor",
    ),
    targets=core_targets_of("openai-responses"),  # only servers of the Responses API
    probes=(
        Probe(
            id="store-true",
            summary="the minimal request with store: true",
            build=chat_with({"openai-responses": {"store": True}}, otherwise=NOT_RESPONSES),
        ),
        Probe(
            id="previous-response-id",
            summary="the minimal request continuing from previous_response_id resp_x (an id never stored)",
            build=chat_with({"openai-responses": {"previous_response_id": "resp_x"}}, otherwise=NOT_RESPONSES),
        ),
        Probe(
            id="untyped-assistant-item",
            summary="the whole conversation in input, its assistant turn without type: message (valid on OpenAI)",
            build=chat_with(
                {"openai-responses": {"store": False, "input": [*_TURNS[:1], _UNTYPED_ANSWER, *_TURNS[2:]]}},
                otherwise=NOT_RESPONSES,
            ),
        ),
        Probe(
            id="stateless",
            summary="store: false and the whole conversation in input, each assistant turn typed as a message",
            build=chat_with(
                {"openai-responses": {"store": False, "input": _TURNS}},
                otherwise=NOT_RESPONSES,
            ),
            shows_workaround=True,
        ),
    ),
)
