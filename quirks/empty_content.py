"""empty-content: empty strings, whitespace-only text and empty content lists in the turns of a request."""

from typing import Any

from provider_quirks.dialects import OPENAI_RESPONSES, PROMPT
from provider_quirks.dialects.base import Turn
from provider_quirks.quirk import Change, Probe, Quirk, chat_with, conversation

_FIRST = "Hello."
#: What the workaround sends instead of an empty assistant turn: any non-blank text will do.
_PLACEHOLDER = "(no answer)"
#: pydantic-ai's recorded gemini-2.5-flash conversation (test_google_model_empty_assistant_response): a user
#: turn, an empty model turn, then the user's question. Sent as recorded, so its answer is this probe's own.
_RECORDED_GEMINI_EMPTY_MODEL_TURN: dict[str, Any] = {
    "contents": [
        {"parts": [{"text": "Hi"}], "role": "user"},
        {"parts": [{"text": ""}], "role": "model"},
        {"parts": [{"text": "Was your previous response empty?"}], "role": "user"},
    ],
}


def _between_user_turns(assistant_text: str) -> dict[str, Change]:
    """An assistant turn of this text between two user turns, on every dialect.

    The Responses API items say ``type: message``: llama-server and LiteLLM answer 400 "Cannot
    determine type of 'item'" to an assistant item without it, whatever its text, which would hide
    what the text does.
    """
    turns: tuple[Turn, ...] = (("user", _FIRST), ("assistant", assistant_text), ("user", PROMPT))
    items = [{"type": "message", **item} for item in OPENAI_RESPONSES.conversation(turns)["input"]]
    return {**conversation(*turns), OPENAI_RESPONSES.name: {"input": items}}


QUIRK = Quirk(
    id="empty-content",
    title="Empty and whitespace-only turns, and empty content lists",
    category="conversation shape",
    claim=(
        "2024 note: Claude answers 400 'text content blocks must be non-empty' to an empty message, where "
        "OpenAI takes it; an empty assistant turn left in the history breaks every later call."
    ),
    summary=(
        "Histories pick up empty turns: a model answer that had only a tool call or was cut off, a user who "
        "pressed enter, a text box of spaces. Anthropic's Messages API rejects them with 400 "
        "invalid_request_error: 'messages.N: all messages must have non-empty content except for the optional "
        "final assistant message' for an empty turn, 'text content blocks must be non-empty' for an empty text "
        "block, and 'text content blocks must contain non-whitespace text' for a blank one. Gemini rejects a "
        "content without parts. OpenAI-style APIs and the local servers mostly take an empty or blank turn "
        "and answer it, so the history that worked there fails only when the provider is switched."
    ),
    why_it_matters=(
        "An empty turn stays in the stored history, so once it is there every later call of the conversation "
        "fails on the strict providers, not just the one that produced it."
    ),
    workaround=(
        "Before sending, drop turns whose text is empty or only whitespace (merging the neighbours if that "
        "leaves two turns of one role in a row), or put a short placeholder text in a turn that must stay; "
        "never send an empty content list."
    ),
    sources=(
        "https://github.com/microsoft/autogen/issues/6083",
        "https://github.com/anthropics/claude-code/issues/23440",
        "https://github.com/anomalyco/opencode/pull/3194",
        "https://github.com/corespeed-io/zypher-agent/pull/122",
        "https://github.com/pydantic/pydantic-ai/blob/82fc848a1a14328c20743af789495a3c553c750e/tests/models/cassettes/test_google/test_google_model_empty_assistant_response.yaml",
    ),
    probes=(
        Probe(
            id="empty-user-message",
            summary='the only user turn\'s text is the empty string ""',
            build=chat_with(conversation(("user", ""))),
        ),
        Probe(
            id="whitespace-user-message",
            summary='the only user turn\'s text is a single space " "',
            build=chat_with(conversation(("user", " "))),
        ),
        Probe(
            id="empty-assistant-turn",
            summary='an empty ("") assistant turn between two user turns (Gemini: pydantic-ai\'s recorded request)',
            build=chat_with({**_between_user_turns(""), "gemini@gemini-2.5-flash": _RECORDED_GEMINI_EMPTY_MODEL_TURN}),
        ),
        Probe(
            id="empty-content-list",
            summary="the only user turn's content is an empty list (Gemini: a content with parts: [])",
            build=chat_with(
                {
                    "openai-chat": {"messages": [{"role": "user", "content": []}]},
                    "anthropic-messages": {"messages": [{"role": "user", "content": []}]},
                    "openai-responses": {"input": [{"role": "user", "content": []}]},
                    "gemini-generate": {"contents": [{"role": "user", "parts": []}]},
                }
            ),
        ),
        Probe(
            id="placeholder-assistant-turn",
            summary="the empty assistant turn replaced by a short placeholder text",
            build=chat_with(_between_user_turns(_PLACEHOLDER)),
            shows_workaround=True,
        ),
    ),
)
