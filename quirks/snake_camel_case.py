"""snake-camel-case: Gemini's REST API takes snake_case and camelCase names for the same field."""

from provider_quirks.quirk import Probe, Quirk, chat_with
from provider_quirks.wire import REMOVE

_INSTRUCTION = {"parts": [{"text": "You are a helpful assistant."}]}
_ONE_SPELLING = "this API's JSON has one spelling per field"

QUIRK = Quirk(
    id="snake-camel-case",
    title="snake_case and camelCase field names on Gemini",
    category="request fields",
    claim=(
        '2024 note: writes Gemini\'s system prompt field as "system_instruction" (snake_case), while the SDKs '
        "and Gemini's answers use camelCase (systemInstruction)."
    ),
    summary=(
        "Gemini's REST API reads requests with the protobuf JSON mapping, which accepts each field under its "
        "proto name (system_instruction, generation_config, max_output_tokens) and under its JSON name "
        "(systemInstruction, generationConfig, maxOutputTokens); Google's own examples mix the two. Sending "
        "both spellings of the same field in one request is a 400 ('oneof field '_system_instruction' is "
        "already set. Cannot set 'system_instruction''). Some Gemini-compatible proxies and endpoints accept "
        "only camelCase and drop the snake_case field without an error. Answers always use camelCase."
    ),
    why_it_matters=(
        "Code that merges a camelCase default with a snake_case option copied from the docs sends both names "
        "and fails; code that sends snake_case through a proxy can lose its system prompt silently."
    ),
    workaround="Pick camelCase (the JSON names, as in Gemini's answers) and never send two spellings of one field.",
    sources=(
        "https://github.com/QuantumNous/new-api/issues/1431",
        "https://github.com/Wei-Shaw/sub2api/issues/1045",
        "https://github.com/Davidasx/gemini-antiblock-go/issues/4",
        "https://github.com/pydantic/pydantic-ai/blob/82fc848a1a14328c20743af789495a3c553c750e/tests/models/cassettes/test_google/test_google_model.yaml",
    ),
    probes=(
        Probe(
            id="snake-case-fields",
            summary="system_instruction and generation_config.max_output_tokens (proto names)",
            build=chat_with(
                {
                    "gemini-generate": {
                        "generationConfig": REMOVE,
                        "system_instruction": _INSTRUCTION,
                        "generation_config": {"max_output_tokens": 8},
                    }
                },
                otherwise=_ONE_SPELLING,
            ),
        ),
        Probe(
            id="both-spellings",
            summary="systemInstruction and system_instruction in the same request",
            build=chat_with(
                {"gemini-generate": {"systemInstruction": _INSTRUCTION, "system_instruction": _INSTRUCTION}},
                otherwise=_ONE_SPELLING,
            ),
        ),
        Probe(
            id="camel-case-fields",
            summary="systemInstruction and generationConfig.maxOutputTokens only (JSON names)",
            build=chat_with({"gemini-generate": {"systemInstruction": _INSTRUCTION}}, otherwise=_ONE_SPELLING),
            shows_workaround=True,
        ),
    ),
)
