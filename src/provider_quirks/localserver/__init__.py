"""Local OpenAI-compatible live targets: llama.cpp's ``llama-server`` and llama-cpp-python's server.

Both run on 127.0.0.1 with a tiny generated model, so live tests need neither keys nor a model
download. ``build`` compiles them once into a cache (``python -m provider_quirks.localserver.build``),
``process`` runs them for a test session, ``tiny_model`` writes the model (it needs ``gguf``).

The public names below are imported on first use, not here: ``python -m ...localserver.build``
would otherwise find its own module already imported (runpy warns about that).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from provider_quirks.localserver.build import BUILD_COMMAND, ServerPaths, built_servers
    from provider_quirks.localserver.process import (
        MODEL_ALIAS,
        SERVER_KINDS,
        RunningServer,
        ServerKind,
        ServerStartError,
        running_server,
    )

_HOME = {
    "BUILD_COMMAND": "build",
    "ServerPaths": "build",
    "built_servers": "build",
    "MODEL_ALIAS": "process",
    "SERVER_KINDS": "process",
    "RunningServer": "process",
    "ServerKind": "process",
    "ServerStartError": "process",
    "running_server": "process",
}
__all__ = [
    "BUILD_COMMAND",
    "MODEL_ALIAS",
    "SERVER_KINDS",
    "RunningServer",
    "ServerKind",
    "ServerPaths",
    "ServerStartError",
    "built_servers",
    "running_server",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
