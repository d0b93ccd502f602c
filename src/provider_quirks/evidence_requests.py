"""Requests that public evidence sent, shared by the quirks whose probes replay them.

A probe that sends a source's own request makes the quoted answer the answer to that probe;
when several quirks quote the same source, the request is written once, here.
"""

from __future__ import annotations

from typing import Any

from provider_quirks.wire import REMOVE

#: Azure's documented chat example (azure-rest-api-specs, ``examples/chat_completions.json`` of each
#: GA API version): a system prompt, a question, and no max_tokens.
AZURE_SPEC_CHAT_EXAMPLE: dict[str, Any] = {
    "messages": [
        {"role": "system", "content": "you are a helpful assistant that talks like a pirate"},
        {"role": "user", "content": "can you tell me how to care for a parrot?"},
    ],
    "max_tokens": REMOVE,
}
