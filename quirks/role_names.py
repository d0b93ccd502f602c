"""role-names: the message roles each API knows; OpenAI's names are not everyone's."""

from provider_quirks.dialects import PROMPT
from provider_quirks.quirk import Probe, Quirk, chat_with, conversation

_INSTRUCTION = "You are a helpful assistant."
_OPENAI_STYLE = "system, user and assistant are this API's own role names"


def _gemini_history(reply_role: str) -> dict[str, list[dict[str, object]]]:
    """A user turn, the model's earlier reply under ``reply_role``, and the next user turn."""
    return {
        "contents": [
            {"role": "user", "parts": [{"text": "Hi"}]},
            {"role": reply_role, "parts": [{"text": "Hello!"}]},
            {"role": "user", "parts": [{"text": PROMPT}]},
        ]
    }


QUIRK = Quirk(
    id="role-names",
    title="Role names: assistant, model, system",
    category="conversation shape",
    claim=(
        '2024 note: different from other services, the role in a Gemini content message is either "user" or '
        '"model" (not "assistant").'
    ),
    summary=(
        "OpenAI-style APIs name the roles system, user and assistant. Gemini's contents accept only user and "
        "model: an earlier answer sent back as role assistant (or a system turn) is a 400 'Please use a "
        "valid role: user, model.'. Anthropic's messages accept only user and assistant: a role system message "
        "is a 400 that points to the top-level system field. Since 2026 Claude Opus 4.8 accepts role system "
        "messages after a user turn; other models, claude-haiku-4-5 among them, still reject them."
    ),
    why_it_matters=(
        "A chat history stored in OpenAI's shape and replayed to Gemini or Anthropic fails on the first "
        "follow-up question, not on the first call, so the bug shows up only in multi-turn conversations."
    ),
    workaround=(
        "Translate roles per provider: assistant becomes model on Gemini; system messages move to Anthropic's "
        "top-level system and Gemini's systemInstruction (see system-instruction)."
    ),
    sources=(
        "https://github.com/langbot-app/LangBot/issues/1486",
        "https://github.com/songquanpeng/one-api/issues/1385",
        "https://github.com/anthropics/claude-agent-sdk-typescript/issues/350",
        "https://github.com/Maol-1997/cursor-claude-connector/issues/3",
        "https://github.com/simonw/llm-anthropic/issues/73",
        "https://github.com/pydantic/pydantic-ai/blob/82fc848a1a14328c20743af789495a3c553c750e/tests/models/cassettes/test_google/test_google_model_empty_assistant_response.yaml",
    ),
    probes=(
        Probe(
            id="assistant-role",
            summary="the model's earlier reply sent back with role assistant",
            build=chat_with({"gemini-generate": _gemini_history("assistant")}, otherwise=_OPENAI_STYLE),
        ),
        Probe(
            id="system-role-message",
            summary="a role system turn at the start of the conversation",
            build=chat_with(
                {
                    dialect: change
                    for dialect, change in conversation(("system", _INSTRUCTION), ("user", PROMPT)).items()
                    if dialect != "openai-chat"  # system is an OpenAI-style API's own role
                },
                otherwise=_OPENAI_STYLE,
            ),
        ),
        Probe(
            id="native-role-names",
            summary="the same turns under the API's own names: model on Gemini, top-level system on Anthropic",
            build=chat_with(
                {"gemini-generate": _gemini_history("model"), "anthropic-messages": {"system": _INSTRUCTION}},
                otherwise=_OPENAI_STYLE,
            ),
            shows_workaround=True,
        ),
    ),
)
