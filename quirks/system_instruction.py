"""system-instruction: where the system prompt goes on each provider, and models that refuse one."""

from provider_quirks.dialects import PROMPT
from provider_quirks.quirk import Probe, Quirk, chat_with
from provider_quirks.targets import CORE_TARGETS

_INSTRUCTION = "You are a helpful assistant."

QUIRK = Quirk(
    id="system-instruction",
    title="Where the system prompt goes",
    category="conversation shape",
    claim=(
        "2024 note: system_instruction isn't enabled for gemini-1.0-pro; using it gives 'Developer instruction "
        'is not enabled for models/gemini-1.0-pro\'. Then send the instruction as a "role": "model" turn.'
    ),
    summary=(
        "Each API has its own place for the system prompt. OpenAI, Azure OpenAI, Mistral and the "
        "OpenAI-compatible servers take a message with role system at the start of messages. Anthropic takes "
        "a top-level system field next to messages. Gemini takes a top-level systemInstruction object "
        '({"parts": [{"text": ...}]}) next to contents. Some Gemini-API models refuse systemInstruction '
        "altogether with 400 'Developer instruction is not enabled for models/<model>': gemini-1.0-pro and "
        "gemini-pro did in 2024 (both retired since), and the Gemma models served on the Gemini API "
        "(gemma-3-27b-it) do today. The Responses API has two places: the top-level instructions field, and a "
        "system message in input; llama-server and LiteLLM in front of it take both."
    ),
    why_it_matters=(
        "A system prompt sent the OpenAI way is rejected or misread elsewhere, and one sent the Gemini way "
        "fails outright on Gemma, so a client that switches the model name from gemini-2.5-flash to a Gemma "
        "model breaks on every call."
    ),
    workaround=(
        "Put the system prompt where each provider wants it (system message, top-level system, "
        "systemInstruction). For models that refuse systemInstruction, leave it out and put the instruction "
        "in the conversation instead: as a leading model turn (the 2024 note's shape) or at the start of "
        "the first user turn."
    ),
    sources=(
        "https://github.com/0xPlaygrounds/rig/issues/788",
        "https://github.com/MaKTaiL/gemini-srt-translator/issues/101",
        "https://github.com/devoxx/DevoxxGenieIDEAPlugin/issues/394",
        "https://github.com/pydantic/pydantic-ai/blob/82fc848a1a14328c20743af789495a3c553c750e/tests/models/cassettes/test_google/test_google_model.yaml",
        "https://github.com/pydantic/pydantic-ai/blob/f077d56ce09d88b03c046985161230fad796aa0d/tests/models/cassettes/test_openai/test_openai_instructions.yaml",
        "https://github.com/pydantic/pydantic-ai/blob/f077d56ce09d88b03c046985161230fad796aa0d/tests/models/cassettes/test_anthropic/test_anthropic_model_empty_message_on_history.yaml",
        "https://github.com/M-Lai-ai/LLM-Provider-reference/blob/09ec826d572cf5fbb01be2c5903ac6e0b8888130/Mistral/no-streaming.md",
    ),
    targets=(*CORE_TARGETS, "gemini@gemma-3-27b-it"),
    probes=(
        Probe(
            id="native-system-prompt",
            summary=(
                "the system prompt in the provider's own place (system message, system, systemInstruction, "
                "instructions)"
            ),
            build=chat_with(
                {
                    "openai-chat": {
                        "messages": [{"role": "system", "content": _INSTRUCTION}, {"role": "user", "content": PROMPT}]
                    },
                    "anthropic-messages": {"system": _INSTRUCTION},
                    "gemini-generate": {"systemInstruction": {"parts": [{"text": _INSTRUCTION}]}},
                    "openai-responses": {"instructions": _INSTRUCTION},
                }
            ),
        ),
        Probe(
            id="system-message-in-input",
            summary="Responses API: the instruction as a system message in input instead of instructions",
            build=chat_with(
                {
                    "openai-responses": {
                        "input": [{"role": "system", "content": _INSTRUCTION}, {"role": "user", "content": PROMPT}]
                    }
                },
                otherwise="the Responses API's two places for an instruction",
            ),
        ),
        Probe(
            id="instruction-as-model-turn",
            summary="no systemInstruction: the instruction as a leading model turn (the 2024 note's body)",
            build=chat_with(
                {
                    "gemini-generate": {
                        "contents": [
                            {"role": "model", "parts": {"text": _INSTRUCTION}},
                            {"role": "user", "parts": {"text": PROMPT}},
                        ]
                    }
                },
                otherwise="the system prompt's own place works on this API",
            ),
            shows_workaround=True,
        ),
    ),
)
