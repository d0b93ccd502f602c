"""``quirks record-local``: record the catalog live against the local servers.

The local targets (``localserver.targets``: llama.cpp's two servers, llama-server's Anthropic and
Responses endpoints, and LiteLLM's proxy in front of it) need no key: they run on loopback with a
tiny generated model, so they can be recorded on every CI run. The LiteLLM targets need the
``litellm`` extra; without it they are left out, and the command says so. Without
``--check`` the committed cassettes of those targets are rewritten (review, then ``quirks
accept``); with ``--check`` they are recorded into a temporary folder and compared with a replay
of the committed ones, so a change in server behaviour (say, after bumping the pinned version)
fails CI as drift instead of passing silently.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from provider_quirks.commands import CommandError, project_root
from provider_quirks.localserver import BUILD_COMMAND, built_servers
from provider_quirks.localserver.gateway import GatewayUnavailableError, litellm_version
from provider_quirks.localserver.targets import LOCAL_TARGETS

#: pytest options of a live recording against the local servers.
LIVE = ("--record-mode=rewrite", "--local-servers")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("record-local", help="record the local llama.cpp servers live (no key needed)")
    parser.add_argument("--check", action="store_true", help="record into a temporary folder and report drift")
    parser.add_argument("--root", help="project folder (default: current folder)")
    parser.set_defaults(handler=run)


def local_targets() -> list[str]:
    """Every local target this machine can run: the gateway's only with LiteLLM installed."""
    try:
        litellm_version()
    except GatewayUnavailableError as error:
        print(f"leaving out the LiteLLM targets: {error}", flush=True)
        return [target for target, local in LOCAL_TARGETS.items() if not local.via_gateway]
    return list(LOCAL_TARGETS)


def pytest_run(root: Path, results: Path, *options: str) -> int:
    """Run the quirk cells of the local targets; progress goes to the terminal."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "quirks",
        "-q",
        "-p",
        "no:randomly",
        "--providers",
        ",".join(local_targets()),
        "--quirks-results",
        str(results),
        *options,
    ]
    return subprocess.run(command, cwd=root, check=False).returncode


def run(args: argparse.Namespace) -> int:
    root = project_root(args.root)
    if built_servers() is None:
        raise CommandError(f"the local servers are not built; run: {BUILD_COMMAND}")
    if not args.check:
        code = pytest_run(root, root / ".quirks" / "local-live.json", *LIVE)
        return 0 if code in (0, 1) else code  # drift (1) is for review: the cassettes are rewritten
    with tempfile.TemporaryDirectory(prefix="quirks-local-") as scratch:
        return check(root, Path(scratch))


def check(root: Path, scratch: Path) -> int:
    """Replay the committed cassettes, record both servers live into ``scratch``, print the drift (exit 1).

    ``scratch`` keeps both results files and the fresh cassettes (``scratch/cassettes``) for inspection.
    """
    from provider_quirks.commands.drift import print_drift

    before, after = scratch / "committed.json", scratch / "live.json"
    print("replaying the committed local-server cassettes", flush=True)
    pytest_run(root, before)
    print("recording the local servers live into a temporary folder", flush=True)
    pytest_run(root, after, *LIVE, "--cassette-dir", str(scratch / "cassettes"))
    if not after.is_file():
        raise CommandError("the live run wrote no results (see the pytest output above)")
    return print_drift(before, after)
