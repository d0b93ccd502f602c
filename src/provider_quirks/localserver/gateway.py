"""Run LiteLLM's proxy on loopback in front of a running llama-server.

The gateway targets record what LiteLLM changes between a client and the server behind it, so
the suite starts the pinned proxy itself: no network (each remote fetch LiteLLM has a switch for
uses its bundled copy instead; strace showed loopback connects only), no provider key, a fresh
master key per run (the proxy refuses to start without one) and the same lifecycle guarantees as
:func:`running_server`: a health wait, the log's tail when startup fails, and a stop that also
happens when the ``with`` block raises.

LiteLLM is large (about 750 MB installed), so it comes with its own extra, ``litellm``, not ``dev``.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from provider_quirks.localserver.process import (
    HOST,
    MODEL_ALIAS,
    RunningServer,
    _stop,
    start_healthy,
)

#: The pinned proxy (``pip install 'provider-quirks[litellm]'``); newer releases need packages the
#: registry may not have, and a new version is a reviewed bump, as for the llama.cpp servers.
LITELLM_VERSION = "1.108.7"
EXTRA = "litellm"
CONFIG = Path(__file__).with_name("litellm_config.yaml")
#: The environment variable the config reads the backend URL from.
BACKEND_ENV = "PROVIDER_QUIRKS_GATEWAY_BACKEND"
#: Answers 200 without a key and without a database (``/health/readiness`` checks both).
_HEALTH_PATH = "/health/liveliness"
#: What the proxy sees of our environment: nothing else, so no provider key, proxy setting,
#: ``DATABASE_URL`` or ``LITELLM_*`` variable of the user's shell can change a recording.
_INHERITED = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SSL_CERT_FILE")
_OFFLINE = {
    # Without it the model cost map is fetched from raw.githubusercontent.com at import (3 tries).
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    # The other remote JSON files LiteLLM fetches on some paths (litellm/__init__.py names their URLs).
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "LITELLM_LOCAL_BLOG_POSTS": "True",
    "LITELLM_LOCAL_POLICY_TEMPLATES": "True",
    "LITELLM_LOCAL_AUTOROUTER_PRESETS": "True",
    "LITELLM_TELEMETRY_DISABLED": "True",
    "HF_HUB_OFFLINE": "1",  # tokenizers for some models come from the Hugging Face hub
}


class GatewayUnavailableError(RuntimeError):
    """LiteLLM's proxy is not installed in this interpreter."""


@dataclass(frozen=True)
class RunningGateway:
    """A LiteLLM proxy that answered its health check, and the server behind it."""

    port: int
    #: OpenAI-style base URL, **including** ``/v1``; ``/v1/messages`` lives under it too.
    base_url: str
    #: ``http://127.0.0.1:PORT``, for paths outside ``/v1``.
    origin: str
    #: The installed LiteLLM version.
    version: str
    #: This run's master key: send it as ``Authorization: Bearer`` or ``x-api-key``.
    api_key: str
    backend: RunningServer
    pid: int
    log_path: Path
    startup_seconds: float
    model: str = MODEL_ALIAS


def litellm_version() -> str:
    """The installed LiteLLM version; raises one error naming the extra when the proxy is missing."""
    try:
        version = metadata.version("litellm")
        # The proxy's own server stack comes only with the ``proxy`` extra of litellm.
        metadata.version("uvicorn")
        metadata.version("fastapi")
    except metadata.PackageNotFoundError as exc:
        raise GatewayUnavailableError(
            f"LiteLLM's proxy is not installed ({exc.name} missing): "
            f"pip install 'provider-quirks[{EXTRA}]' (litellm[proxy]=={LITELLM_VERSION})"
        ) from exc
    return version


def gateway_command(port: int) -> list[str]:
    """The command line that starts the proxy on ``port`` with the packaged config."""
    return [
        sys.executable,
        *("-m", "litellm.proxy.proxy_cli"),
        *("--config", str(CONFIG)),
        *("--host", HOST, "--port", str(port)),
    ]


def gateway_environment(backend: RunningServer, master_key: str) -> dict[str, str]:
    """The proxy's whole environment: a few basics, the offline switches, the key and the backend."""
    inherited = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    return {**inherited, **_OFFLINE, "LITELLM_MASTER_KEY": master_key, BACKEND_ENV: backend.base_url}


@contextmanager
def running_gateway(
    backend: RunningServer,
    *,
    startup_timeout: float = 120.0,
    log_dir: Path | None = None,
) -> Iterator[RunningGateway]:
    """Run LiteLLM in front of ``backend`` for the duration of the ``with`` block, then stop it.

    Start-up takes seconds (about 5 s on 2 shared cores, mostly imports): hence the generous timeout.
    The log goes to ``log_dir`` (kept) or to a temporary directory removed on exit.
    """
    version = litellm_version()
    master_key = "sk-" + secrets.token_hex(24)
    with ExitStack() as stack:
        if log_dir is None:
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="provider-quirks-")))
        environment = gateway_environment(backend, master_key)
        proc, port, log_path, seconds = start_healthy(
            "litellm", gateway_command, _HEALTH_PATH, log_dir, startup_timeout, env=environment
        )
        stack.callback(_stop, proc)
        yield RunningGateway(
            port=port,
            base_url=f"http://{HOST}:{port}/v1",
            origin=f"http://{HOST}:{port}",
            version=version,
            api_key=master_key,
            backend=backend,
            pid=proc.pid,
            log_path=log_path,
            startup_seconds=round(seconds, 3),
        )
