"""The plugin is installed into other people's environments: it changes nothing in their sessions.

A foreign project (no quirk at all) keeps pytest-recording's record modes and its network; the
quirk cells alone are replayed behind a network guard, and an unsupported record mode is refused
only once quirk cells are collected. Every run is a fresh pytest process, as a user starts it.

Network checks never send a packet off the machine: a UDP ``connect`` only sets the peer address,
and a Unix socket never leaves the host, yet pytest-recording's guard refuses both when it is on.
"""

import re
import shutil
from pathlib import Path

import pytest

from provider_quirks.plugin import UNSUPPORTED_RECORD_MODE

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
GUARD_REFUSAL = "Network is disabled for host"

FOREIGN_TESTS = '''
import http.server
import socket
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from loopback"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_url():
    server = http.server.HTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.mark.vcr
def test_records_a_loopback_answer(loopback_url):
    with urllib.request.urlopen(loopback_url, timeout=10) as answer:
        assert answer.read() == b"hello from loopback"


def test_opens_a_loopback_socket():
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=5) as client:
            accepted, _ = server.accept()
            with accepted:
                client.sendall(b"ping")
                assert accepted.recv(4) == b"ping"


def test_connects_a_unix_socket():
    """pytest-recording's guard refuses this whenever network blocking is on, whatever the allowed hosts."""
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "socket")
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(path)
            server.listen()
            with socket.socket(socket.AF_UNIX) as client:
                client.connect(path)
'''

#: Appended to a copy of a real quirk module: before a running cell builds a probe, it connects a
#: UDP socket to the host in QUIRKS_TEST_HOST (a UDP connect sends nothing; only the guard can refuse
#: it). Builds outside a cell's run (the catalog checks them at collection) do not connect.
CONNECT_FIRST = """

import os
import socket
import sys
from dataclasses import replace as _replace


def _in_a_running_item():
    frame = sys._getframe()
    while frame is not None and frame.f_code.co_name != "runtest":
        frame = frame.f_back
    return frame is not None


def _connect_first(build):
    def build_after_connecting(target):
        if _in_a_running_item():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((os.environ["QUIRKS_TEST_HOST"], 9))
        return build(target)

    return build_after_connecting


QUIRK = _replace(QUIRK, probes=tuple(_replace(p, build=_connect_first(p.build)) for p in QUIRK.probes))
"""

QUIRK_MODULE = "models_endpoint"
QUIRK_ID = "models-endpoint"


@pytest.fixture
def foreign(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("COLUMNS", "400")  # summary lines in full, with the error message
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:randomly\n")
    pytester.makepyfile(test_foreign=FOREIGN_TESTS)
    return pytester


@pytest.fixture
def quirk_project(foreign: pytest.Pytester) -> pytest.Pytester:
    """The foreign tests, beside one real quirk with its cassettes whose cells first try to connect."""
    quirks = foreign.mkdir("quirks")
    source = (ROOT / "quirks" / f"{QUIRK_MODULE}.py").read_text(encoding="utf-8")
    (quirks / f"{QUIRK_MODULE}.py").write_text(source + CONNECT_FIRST, encoding="utf-8")
    shutil.copy(ROOT / "quirks" / f"{QUIRK_MODULE}.yaml", quirks)
    shutil.copytree(ROOT / "cassettes" / QUIRK_ID, foreign.path / "cassettes" / QUIRK_ID)
    return foreign


def test_a_foreign_project_keeps_its_record_mode_and_its_network(foreign):
    run = foreign.runpytest_subprocess("--record-mode=once")
    run.assert_outcomes(passed=3)
    cassette = foreign.path / "cassettes" / "test_foreign" / "test_records_a_loopback_answer.yaml"
    assert "hello from loopback" in cassette.read_text(encoding="utf-8")


def test_the_unix_socket_test_sees_network_blocking(foreign):
    """The foreign project's own guard, switched on by hand: its Unix-socket test detects it."""
    run = foreign.runpytest_subprocess("--record-mode=once", "--block-network")
    outcomes = run.parseoutcomes()
    assert outcomes.get("failed") == 2, run.stdout.str()  # the Unix socket, and loopback without --allowed-hosts
    run.stdout.fnmatch_lines([f"FAILED test_foreign.py::test_connects_a_unix_socket - RuntimeError: {GUARD_REFUSAL}*"])


def test_replayed_cells_are_guarded_and_the_tests_beside_them_are_not(quirk_project, monkeypatch):
    monkeypatch.setenv("QUIRKS_TEST_HOST", "203.0.113.7")  # TEST-NET-3: documentation only, never routed
    # Replay (record mode none) cannot record the foreign cassette: that test stays out of this session.
    run = quirk_project.runpytest_subprocess("quirks", "test_foreign.py", "-k", "not records", "-rf")
    outcomes = run.parseoutcomes()
    assert outcomes.get("failed", 0) >= 1, run.stdout.str()
    failures = [line for line in run.outlines if line.startswith("FAILED ")]
    assert len(failures) == outcomes["failed"]
    refusal = re.compile(
        rf"FAILED quirks/{QUIRK_MODULE}\.py::{QUIRK_ID}\[[^]]+\] - RuntimeError: {GUARD_REFUSAL} '203\.0\.113\.7'$"
    )
    assert all(refusal.match(line) for line in failures), failures
    assert outcomes.get("passed") == 2, run.stdout.str()  # the foreign socket tests, unguarded


def test_replayed_cells_may_reach_loopback(quirk_project, monkeypatch):
    """The same cells hold when they connect to loopback: above, only the guard made them fail."""
    monkeypatch.setenv("QUIRKS_TEST_HOST", "127.0.0.1")
    run = quirk_project.runpytest_subprocess("quirks")
    outcomes = run.parseoutcomes()
    assert outcomes.get("passed", 0) >= 1 and "failed" not in outcomes, run.stdout.str()


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_an_unsupported_record_mode_is_refused_once_cells_are_collected(quirk_project, monkeypatch, workers):
    monkeypatch.setenv("QUIRKS_TEST_HOST", "127.0.0.1")
    run = quirk_project.runpytest_subprocess("quirks", "--record-mode=once", *workers)
    assert run.ret != 0
    assert UNSUPPORTED_RECORD_MODE in run.stdout.str()
    assert run.parseoutcomes() == {"errors": 1}, run.stdout.str()  # one line, and nothing ran


def test_a_foreign_quirks_folder_is_not_collected_as_quirk_cells(foreign):
    """A project may have a ``quirks/`` package of its own; only modules with a QUIRK or a YAML beside them are ours."""
    (foreign.path / "quirks").mkdir()
    (foreign.path / "quirks" / "parser.py").write_text("def parse(text):\n    return text.split()\n")
    (foreign.path / "quirks" / "test_parser.py").write_text(
        "from quirks.parser import parse\n\n\ndef test_parse():\n    assert parse('a b') == ['a', 'b']\n"
    )
    (foreign.path / "quirks" / "__init__.py").write_text("")
    run = foreign.runpytest_subprocess("--record-mode=once", "quirks")
    run.assert_outcomes(passed=1)
    assert "load-errors" not in run.stdout.str()


def test_an_error_in_a_cell_is_reported_from_the_cell_not_from_pytests_runner(quirk_project, monkeypatch):
    """An unexpected error's traceback starts at the cell: pytest's own frames are noise to its reader."""
    monkeypatch.setenv("QUIRKS_TEST_HOST", "203.0.113.7")
    run = quirk_project.runpytest_subprocess("quirks", "-k", "claude-haiku")
    run.assert_outcomes(failed=1)
    report = run.stdout.str()
    assert "def runtest(self)" in report and "_pytest/runner.py" not in report, report
    assert "network_guard" in report  # down to the frame that raised
