"""role-alternation: consecutive turns of the same role, and which role may end the conversation."""

from provider_quirks.dialects import PROMPT
from provider_quirks.quirk import Probe, Quirk, chat_with, conversation
from provider_quirks.targets import CORE_TARGETS

_FIRST = "Hello."
_CALL_ID = "abcDEF123"  # Mistral wants tool call ids of 9 letters or digits
_OPENAI_TOOL_TURNS = "tool results are turns of OpenAI-style APIs only; probed there"
_USER_AFTER_TOOL = {
    "messages": [
        {"role": "user", "content": PROMPT},
        {
            "role": "assistant",
            "tool_calls": [{"id": _CALL_ID, "type": "function", "function": {"name": "greet", "arguments": "{}"}}],
        },
        {"role": "tool", "tool_call_id": _CALL_ID, "content": "hi"},
        {"role": "user", "content": "Thanks."},
    ],
    "tools": [
        {
            "type": "function",
            "function": {"name": "greet", "description": "Say hi", "parameters": {"type": "object", "properties": {}}},
        }
    ],
}

QUIRK = Quirk(
    id="role-alternation",
    title="Consecutive turns of one role, and the role of the last turn",
    category="conversation shape",
    summary=(
        "Two user messages in a row are common (a user sends two chat messages before the model answers). "
        "Until late 2024 Anthropic's Messages API rejected them with 400 'messages: roles must alternate "
        'between "user" and "assistant", but found multiple "user" roles in a row\' (or multiple '
        '"assistant" roles); since October 2024 its documentation says consecutive user or assistant turns '
        "are combined into a single turn, while Amazon Bedrock kept rejecting them. Mistral has its own order "
        'rules: the last message must be user or tool (a final assistant message only with "prefix": true), '
        "and a user message may not directly follow a tool message (code 3230). Chat templates of local "
        "servers may raise 'Conversation roles must alternate user/assistant/user/assistant/...'."
    ),
    why_it_matters=(
        "Histories built by appending whatever happened (two user messages, an assistant message left last "
        "after a cancelled turn, a user message after a tool result) fail only on the providers with these "
        "rules, and only in the conversations that happen to have that shape."
    ),
    workaround=(
        "Merge consecutive turns of the same role into one before sending (join the texts, or list several "
        "content blocks or parts in one turn), end the request with a user (or tool) turn, and on Mistral "
        'mark a deliberate final assistant message with "prefix": true.'
    ),
    sources=(
        "https://github.com/Doriandarko/claude-engineer/issues/18",
        "https://github.com/mattermost/mattermost-plugin-agents/issues/180",
        "https://github.com/lobehub/lobehub/issues/1496",
        "https://github.com/anthropics/anthropic-sdk-typescript/issues/565",
        "https://github.com/NEKOparapa/AiNiee/issues/641",
        "https://github.com/huggingface/smolagents/issues/757",
        "https://github.com/avante-corp/avante.nvim/pull/2695",
        "https://github.com/datapizza-labs/datapizza-ai/issues/98",
    ),
    targets=(*CORE_TARGETS, "anthropic@claude-3-5-sonnet-20240620"),
    probes=(
        Probe(
            id="consecutive-user",
            summary="two user messages in a row",
            build=chat_with(conversation(("user", _FIRST), ("user", PROMPT))),
        ),
        Probe(
            id="trailing-assistant",
            summary="a conversation whose last message is the assistant's, with no prefix flag",
            build=chat_with(
                {
                    "openai-chat": {
                        "messages": [{"role": "user", "content": PROMPT}, {"role": "assistant", "content": _FIRST}]
                    }
                },
                otherwise="a final assistant turn is a documented prefill on Anthropic; probed on OpenAI-style APIs",
            ),
        ),
        Probe(
            id="user-after-tool",
            summary="a user message right after a tool result, with no assistant turn between them",
            build=chat_with({"openai-chat": _USER_AFTER_TOOL}, otherwise=_OPENAI_TOOL_TURNS),
        ),
        Probe(
            id="merged-turns",
            summary="the two user messages merged into one turn (joined text, two blocks, two parts)",
            build=chat_with(
                {
                    "openai-chat": {"messages": [{"role": "user", "content": f"{_FIRST}\n\n{PROMPT}"}]},
                    "anthropic-messages": {
                        "messages": [
                            {
                                "role": "user",
                                "content": [{"type": "text", "text": _FIRST}, {"type": "text", "text": PROMPT}],
                            }
                        ]
                    },
                    "gemini-generate": {"contents": [{"role": "user", "parts": [{"text": _FIRST}, {"text": PROMPT}]}]},
                }
            ),
            shows_workaround=True,
        ),
    ),
)
