"""Wire dialects: one module per request/response format, registered here by name.

A dialect (``base.WireDialect``) holds everything about its format: the minimal request, how to
stream it, how to write turns, tools and the output cap, and how to read answers, streamed or
not, and errors. Providers name their dialect (``providers/definitions.py``); quirks key changes
by its name. Adding a dialect: a module that builds a ``WireDialect``, and its entry below.
"""

from __future__ import annotations

from provider_quirks.dialects.anthropic_messages import ANTHROPIC_MESSAGES
from provider_quirks.dialects.base import MAX_TOKENS, PROMPT, Tool, WireDialect, read_model_list
from provider_quirks.dialects.gemini_generate import GEMINI_GENERATE
from provider_quirks.dialects.openai_chat import OPENAI_CHAT
from provider_quirks.dialects.openai_responses import OPENAI_RESPONSES

#: Every dialect, by name, in the order reports list them.
DIALECTS: dict[str, WireDialect] = {
    d.name: d for d in (OPENAI_CHAT, ANTHROPIC_MESSAGES, GEMINI_GENERATE, OPENAI_RESPONSES)
}

__all__ = [
    "ANTHROPIC_MESSAGES",
    "DIALECTS",
    "GEMINI_GENERATE",
    "MAX_TOKENS",
    "OPENAI_CHAT",
    "OPENAI_RESPONSES",
    "PROMPT",
    "Tool",
    "WireDialect",
    "read_model_list",
]
