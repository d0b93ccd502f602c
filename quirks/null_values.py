"""null-values: what an explicit JSON ``null`` in an optional field does on each provider."""

from provider_quirks.quirk import Probe, Quirk, chat_with, every_dialect

_TOOL_TURN_WITH_NULL_INPUT = {
    "messages": [
        {"role": "user", "content": "Say hi"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01", "name": "greet", "input": None}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "hi"}]},
    ]
}

QUIRK = Quirk(
    id="null-values",
    title="Explicit null in optional fields",
    category="request validation",
    claim=(
        "2024 note: Mistral and Claude don't accept null in the request body; OpenAI uses the default "
        "value instead (not Azure OpenAI, tried with stream_options)."
    ),
    summary=(
        "Client code often serialises unset options as null instead of leaving them out. OpenAI treats "
        "null as 'use the default' for the fields its spec marks nullable. Anthropic validates types "
        "strictly and answers 400 when a field that must be an object or list is null. Mistral now "
        "accepts null for most known fields but still rejects any field it does not know, null or not."
    ),
    why_it_matters=(
        "A request builder that works against OpenAI can fail on every call elsewhere just because an "
        "optional setting was None in the caller's code."
    ),
    workaround="Drop keys whose value is None before sending (exclude_none / omitempty); never send null.",
    sources=(
        "https://github.com/openai/openai-openapi/pull/240",
        "https://github.com/nomtek/mistralai_client_dart/issues/44",
        "https://github.com/anthropics/claude-code/issues/6695",
        "https://github.com/pydantic/pydantic-ai/blob/d68835b13d55b5bd9c1055893b4a9c5e794905ec/tests/models/cassettes/test_mistral/test_mistral_history_uses_prompt_cache.yaml",
    ),
    probes=(
        Probe(
            id="null-stream-options",
            summary="stream_options: null on a non-streamed chat request (the note's own case)",
            build=chat_with({"openai-chat": {"stream_options": None}}, otherwise="no stream_options field"),
        ),
        Probe(
            id="null-on-unknown-field",
            summary="name: null and tool_calls: null on a user message",
            build=chat_with(
                {
                    "openai-chat": {
                        "messages": [{"role": "user", "content": "Say hi", "name": None, "tool_calls": None}]
                    }
                },
                otherwise="OpenAI-style message fields only",
            ),
        ),
        Probe(
            id="null-known-fields",
            summary="frequency_penalty, presence_penalty and stop sent as null (fields the API knows)",
            build=chat_with(
                {"openai-chat": {"frequency_penalty": None, "presence_penalty": None, "stop": None}},
                otherwise="OpenAI-style sampling fields only",
            ),
        ),
        Probe(
            id="null-tool-input",
            summary="an assistant tool_use block whose input is null",
            build=chat_with(
                {"anthropic-messages": _TOOL_TURN_WITH_NULL_INPUT}, otherwise="Anthropic content blocks only"
            ),
        ),
        Probe(
            id="nulls-omitted",
            summary="the same request with every null left out",
            build=chat_with(every_dialect({})),
            shows_workaround=True,
        ),
    ),
)
