"""Start, health-check and stop a local server on a free loopback port.

Live tests need a server that is really up before the first request and really gone after the
last one, also when a test fails midway; ``running_server`` is a context manager for that. Each
server binds 127.0.0.1 only, logs to a file (its tail is quoted when startup fails) and runs
with the flags that make recordings stable (no prompt cache, fixed seed, fixed alias).
"""

from __future__ import annotations

import functools
import http.client
import re
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from provider_quirks.localserver.build import ServerPaths

ServerKind = Literal["llama-server", "llama-cpp-python"]
SERVER_KINDS: tuple[ServerKind, ...] = ("llama-server", "llama-cpp-python")
#: The model name both servers answer to (and echo in responses).
MODEL_ALIAS = "tiny-llama"
HOST = "127.0.0.1"
SEED = 42

_HEALTH_PATH: dict[ServerKind, str] = {"llama-server": "/health", "llama-cpp-python": "/v1/models"}
_BIND_FAILED = re.compile(r"address already in use|couldn't bind|errno 98", re.IGNORECASE)
_PORT_ATTEMPTS = 3  # another process may take the free port before the server binds it


class ServerStartError(RuntimeError):
    """The server exited or did not answer its health check in time."""


@dataclass(frozen=True)
class RunningServer:
    """A server that answered its health check."""

    kind: ServerKind
    port: int
    #: OpenAI-style base URL, **including** ``/v1`` (as the OpenAI SDK's ``base_url``).
    base_url: str
    #: ``http://127.0.0.1:PORT``, for paths outside ``/v1`` such as ``/health``.
    origin: str
    version: str
    pid: int
    log_path: Path
    startup_seconds: float
    model: str = MODEL_ALIAS


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it: bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_command(kind: ServerKind, paths: ServerPaths, port: int) -> list[str]:
    """The command line that starts ``kind`` on ``port``.

    One thread each: the model is tiny, and ggml's worker threads spin while they wait; with a
    thread per core, a busy machine (parallel tests, a compile) slowed tokens from ~0.1 to 170 ms.
    """
    if kind == "llama-server":
        return [
            str(paths.llama_server),
            *("-m", str(paths.model), "--alias", MODEL_ALIAS),
            *("--host", HOST, "--port", str(port)),
            "--offline",  # never touch the network
            "--no-cache-prompt",  # else usage.prompt_tokens_details.cached_tokens depends on history
            *("-np", "2"),  # two slots: enough for n=2
            *("--seed", str(SEED)),
            *("--threads", "1", "--threads-batch", "1"),
        ]
    return [
        str(paths.python),
        *("-m", "llama_cpp.server", "--model", str(paths.model), "--model_alias", MODEL_ALIAS),
        *("--host", HOST, "--port", str(port)),
        *("--verbose", "False"),  # the default logs every graph detail
        *("--seed", str(SEED)),
        *("--n_threads", "1", "--n_threads_batch", "1"),
    ]


def _log_tail(log_path: Path, lines: int = 20) -> str:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _healthy(port: int, path: str) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=1.0)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _stop(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``grace`` seconds; always reaps the process."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait()


def start_healthy(
    name: str,
    command: Callable[[int], list[str]],
    health_path: str,
    log_dir: Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], int, Path, float]:
    """Start ``command(port)`` on a free port and wait until ``health_path`` answers; a port lost to a race is retried.

    Returns the process, its port, its log and the seconds it took. Shared by the servers and the gateway.
    """
    attempt = 0
    while True:
        attempt += 1
        port = free_port()
        log_path = log_dir / f"{name}-{port}.log"
        begin = time.monotonic()
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                command(port),
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches us, and we stop it
            )
        try:
            while proc.poll() is None and time.monotonic() - begin < timeout:
                if _healthy(port, health_path):
                    return proc, port, log_path, time.monotonic() - begin
                time.sleep(0.02)
        except BaseException:
            _stop(proc)
            raise
        exit_code = proc.poll()
        _stop(proc)
        tail = _log_tail(log_path)
        if exit_code is not None and _BIND_FAILED.search(tail) and attempt < _PORT_ATTEMPTS:
            continue
        state = f"exited with code {exit_code}" if exit_code is not None else f"not ready after {timeout:g}s"
        raise ServerStartError(f"{name} on port {port} {state}; log {log_path} ends with:\n{tail}")


@contextmanager
def running_server(
    kind: ServerKind,
    paths: ServerPaths,
    *,
    startup_timeout: float = 30.0,
    log_dir: Path | None = None,
) -> Iterator[RunningServer]:
    """Run ``kind`` for the duration of the ``with`` block, then stop it (also on errors).

    The log goes to ``log_dir`` (kept) or to a temporary directory removed on exit.
    """
    with ExitStack() as stack:
        if log_dir is None:
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="provider-quirks-")))
        command = functools.partial(server_command, kind, paths)
        proc, port, log_path, seconds = start_healthy(kind, command, _HEALTH_PATH[kind], log_dir, startup_timeout)
        stack.callback(_stop, proc)
        version = paths.llama_server_version if kind == "llama-server" else paths.llama_cpp_python_version
        yield RunningServer(
            kind=kind,
            port=port,
            base_url=f"http://{HOST}:{port}/v1",
            origin=f"http://{HOST}:{port}",
            version=version,
            pid=proc.pid,
            log_path=log_path,
            startup_seconds=round(seconds, 3),
        )
