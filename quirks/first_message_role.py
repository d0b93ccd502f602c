"""first-message-role: a conversation that opens with the assistant's turn."""

from typing import Any

from provider_quirks.dialects import PROMPT
from provider_quirks.quirk import Change, Probe, Quirk, chat_with, conversation
from provider_quirks.targets import CORE_TARGETS

_GREETING = "How can I help?"
#: pydantic-ai's recorded assistant-first conversation on OpenAI (test_message_history_can_start_with_model_response).
#: The recording also sent stream false and no cap; whether the order is accepted does not depend on them.
_RECORDED_OPENAI_ASSISTANT_FIRST: dict[str, Any] = {
    "messages": [
        {"role": "assistant", "content": "Where do you want to go today?"},
        {"role": "user", "content": "Answer in 5 words only. Who is Tux?"},
    ],
}


#: pydantic-ai's recorded gemini-2.5-flash conversation (test_google_model_empty_assistant_response): a user turn,
#: an empty model turn, then the user's question. The recording also set responseModalities TEXT and no cap.
_RECORDED_GEMINI_USER_FIRST: dict[str, Any] = {
    "contents": [
        {"parts": [{"text": "Hi"}], "role": "user"},
        {"parts": [{"text": ""}], "role": "model"},
        {"parts": [{"text": "Was your previous response empty?"}], "role": "user"},
    ],
}


def _assistant_first() -> dict[str, Change]:
    """The greeting-first conversation on every dialect; OpenAI sends the recorded request instead."""
    changes: dict[str, Change] = {**conversation(("assistant", _GREETING), ("user", PROMPT))}
    return {**changes, "openai@gpt-4.1-mini": _RECORDED_OPENAI_ASSISTANT_FIRST}


def _user_first() -> dict[str, Change]:
    """The same conversation after a short user turn; Gemini sends the recorded user-first request instead."""
    changes: dict[str, Change] = {**conversation(("user", "Hi"), ("assistant", _GREETING), ("user", PROMPT))}
    return {**changes, "gemini@gemini-2.5-flash": _RECORDED_GEMINI_USER_FIRST}


QUIRK = Quirk(
    id="first-message-role",
    title="A conversation that starts with the assistant",
    category="conversation shape",
    claim='2024 note (Claude): first message must use the "user" role. OpenAI/Mistral don\'t restrict this rule.',
    summary=(
        'A chat that opens with the assistant\'s greeting ("How can I help?") has an assistant turn first. '
        "In 2024 Anthropic's Messages API rejected that with 400 'messages: first message must use the "
        '"user" role\' (seen with claude-3-5-sonnet-20240620). By December 2024 the first-party API accepted '
        "the same request while Amazon Bedrock still rejected it, so the answer depends on where Claude is "
        "served, not only on the model; a 2026 recording (claude-sonnet-4-5) shows the first-party API still "
        "accepting it. OpenAI's Chat Completions API answered an assistant-first conversation normally in a "
        "2025 recording (gpt-4.1-mini). Gemini's API is reported to reject a leading model turn with 400 "
        "'Please ensure that multiturn requests alternate between user and model', but no full answer is "
        "public; whether Mistral and Azure accept a leading assistant turn is not shown by any recording yet."
    ),
    why_it_matters=(
        "Chat UIs often store the bot's greeting as the first message; replaying that history fails on every "
        "request against an API or a cloud host that enforces the rule, and passes against one that does not, "
        "so tests against one host do not cover another."
    ),
    workaround=(
        "Start every conversation with a user turn: drop the stored greeting, or put a short user turn before "
        "it (and put instructions in the system prompt, not in a leading assistant turn)."
    ),
    sources=(
        "https://github.com/tonyljx/TextWordExplain/issues/2",
        "https://github.com/anthropics/anthropic-sdk-typescript/issues/622",
        "https://github.com/lobehub/lobehub/issues/1601",
        "https://github.com/langchain4j/langchain4j/issues/1864",
        "https://github.com/pydantic/pydantic-ai/blob/f077d56ce09d88b03c046985161230fad796aa0d/tests/models/cassettes/test_anthropic/test_anthropic_model_empty_message_on_history.yaml",
    ),
    targets=(*CORE_TARGETS, "anthropic@claude-3-5-sonnet-20240620", "openai@gpt-4.1-mini"),
    probes=(
        Probe(
            id="assistant-first",
            summary="the assistant's greeting first, then the user's message",
            build=chat_with(_assistant_first()),
        ),
        Probe(
            id="user-first",
            summary="a short user turn before the greeting, so the conversation starts with the user",
            build=chat_with(_user_first()),
            shows_workaround=True,
        ),
    ),
)
