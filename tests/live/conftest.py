"""Fixtures of the live-path tests: a running stand-in and a tiny project of its own."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from standin import StandIn, running
from tinyproject import Project


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    with running() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


@pytest.fixture
def unused_port() -> int:
    """A loopback port where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
