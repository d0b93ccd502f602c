"""Whether a started process still runs and listens: the server and gateway tests check both after a stop."""

from __future__ import annotations

import os
import socket

from provider_quirks.localserver.process import HOST


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def accepts_connections(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0
