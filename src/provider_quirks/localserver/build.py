"""Build the two local OpenAI-compatible servers and the tiny model, once, into a cache.

Nothing prebuilt exists on PyPI for either server, so llama.cpp is compiled from the copy
vendored in the ``llama-cpp-python`` sdist. It is compiled **once**: a shared-library build of
the ``llama-server`` target also produces ``libllama``/``libggml*``/``libmtmd``, which are the
libraries the Python package loads; ``llama-cpp-python[server]`` is then installed without its
own compile (``-DLLAMA_BUILD=OFF``) and given copies of them. That halves CI time (one ~5 min
compile on 2 cores instead of two) and both servers run the same llama.cpp code.

Every step writes a marker when it succeeds and is skipped when its marker exists; the stamp
file is written last (atomically) and is what :func:`built_servers` trusts. The model file is
named after a hash of ``tiny_model.py``, so editing the model only rebuilds the model.

Over 300 lines: the build is one resumable sequence of steps (download, configure, compile,
install, stamp), each with its own error message; it is imported only by ``quirks build-servers``
and the local-server run, never by the plugin.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

LLAMA_CPP_PYTHON_VERSION = "0.3.36"
GGUF_VERSION = "0.19.0"
#: What to run when the servers are missing (same as ``python -m provider_quirks.localserver.build``).
BUILD_COMMAND = "quirks build-servers"

_TINY_MODEL_SOURCE = Path(__file__).with_name("tiny_model.py")
_STAMP = "stamp.json"
_CMAKE_OPTIONS = (
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=ON",  # the Python package needs the libraries as .so files
    "-DGGML_NATIVE=OFF",  # no -march=native: a cached build also runs on another x86-64 CPU
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_APP=OFF",
    "-DLLAMA_BUILD_UI=OFF",  # with the next one: no web UI download at build time
    "-DLLAMA_USE_PREBUILT_UI=OFF",
    "-DLLAMA_OPENSSL=OFF",  # loopback only: no HTTPS, no libssl-dev
    "-DCMAKE_BUILD_WITH_INSTALL_RPATH=ON",  # binary and libraries find each other by $ORIGIN,
    "-DCMAKE_INSTALL_RPATH=$ORIGIN",  # so the build tree can be deleted after copying them
)


class BuildError(Exception):
    """A build step failed; the message is one line meant for the user."""


@dataclass(frozen=True)
class ServerPaths:
    """What the fixtures need to start either server."""

    llama_server: Path  # the llama-server binary (its .so files sit beside it)
    python: Path  # interpreter of the venv that has ``llama_cpp.server`` installed
    model: Path  # the tiny GGUF model
    llama_server_version: str  # first line of ``llama-server --version``, e.g. "0.5.0-dev (...)"
    llama_cpp_python_version: str


@dataclass(frozen=True)
class _Layout:
    """Where each artifact lives inside the cache directory."""

    root: Path

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def server_dir(self) -> Path:
        return self.root / "llama-server"

    @property
    def llama_server(self) -> Path:
        return self.server_dir / "llama-server"

    @property
    def work(self) -> Path:
        """Download, sources and build tree (about 400 MB), removed after a full build."""
        return self.root / "work"

    @property
    def source(self) -> Path:
        return self.work / f"llama_cpp_python-{LLAMA_CPP_PYTHON_VERSION}"

    @property
    def cmake_build(self) -> Path:
        return self.source / "vendor" / "llama.cpp" / "build"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def markers(self) -> Path:
        return self.root / "steps"

    @property
    def model(self) -> Path:
        digest = hashlib.sha256(_TINY_MODEL_SOURCE.read_bytes()).hexdigest()[:12]
        return self.root / f"tiny-llama-{digest}.gguf"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/provider-quirks/servers/llama-cpp-python-<version>`` (keyed by version)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "provider-quirks" / "servers" / f"llama-cpp-python-{LLAMA_CPP_PYTHON_VERSION}"


def built_servers(root: Path | None = None) -> ServerPaths | None:
    """The built servers, or None when a build (``BUILD_COMMAND``) is needed first."""
    layout = _Layout(root or cache_dir())
    try:
        stamp = json.loads((layout.root / _STAMP).read_text())
    except (OSError, ValueError):
        return None
    paths = ServerPaths(
        llama_server=layout.llama_server,
        python=layout.python,
        model=layout.root / str(stamp.get("model", "")),
        llama_server_version=str(stamp.get("llama_server_version", "")),
        llama_cpp_python_version=str(stamp.get("llama_cpp_python_version", "")),
    )
    current = paths.model == layout.model and paths.model.is_file()
    if not (current and paths.llama_server.is_file() and paths.python.is_file()):
        return None
    return paths


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


class _Builder:
    """Runs the steps in order, printing progress and timing each one."""

    def __init__(self, layout: _Layout, jobs: int) -> None:
        self.layout = layout
        self.jobs = jobs
        self.timings: dict[str, float] = {}
        self.started = time.monotonic()

    def say(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {text}", flush=True)

    def step(self, name: str, description: str, action: Callable[[], None], *, output: Path | None = None) -> None:
        """Run ``action`` unless done: its ``output`` exists, or else its marker does."""
        marker = self.layout.markers / f"{name}.done"
        if (output or marker).exists():
            self.say(f"{name}: already done, skipped")
            return
        self.say(f"{name}: {description}")
        begin = time.monotonic()
        action()
        self.timings[name] = round(time.monotonic() - begin, 1)
        if output is None:
            marker.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(marker, f"{self.timings[name]}\n")
        self.say(f"{name}: done in {self.timings[name]:.1f}s")

    def run(
        self,
        name: str,
        cmd: Sequence[str | Path],
        *,
        env: dict[str, str] | None = None,
        on_line: Callable[[str], None] | None = None,
    ) -> str:
        """Run ``cmd`` with its output in ``logs/<name>.log``; on failure, raise with the tail."""
        self.layout.logs.mkdir(parents=True, exist_ok=True)
        log_path = self.layout.logs / f"{name}.log"
        argv = [str(part) for part in cmd]
        lines: list[str] = []
        with log_path.open("w") as log:
            log.write("$ " + " ".join(argv) + "\n")
            log.flush()
            try:
                proc = subprocess.Popen(
                    argv,
                    env={**os.environ, **(env or {})},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    errors="replace",
                )
            except OSError as exc:
                raise BuildError(f"{name}: cannot run {argv[0]}: {exc.strerror}") from exc
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                lines.append(line.rstrip("\n"))
                if on_line:
                    on_line(line)
            code = proc.wait()
        if code != 0:
            for line in lines[-15:]:
                print(f"    | {line}", file=sys.stderr)
            raise BuildError(f"{name} failed (exit {code}): {' '.join(argv)}; log: {log_path}")
        return "\n".join(lines)

    # -- the steps ---------------------------------------------------------------------

    def make_venv(self) -> None:
        if self.layout.venv.exists():
            shutil.rmtree(self.layout.venv)  # a half-made venv from an interrupted run
        self.run("venv", [sys.executable, "-m", "venv", self.layout.venv])
        self.pip("venv-gguf", "install", f"gguf=={GGUF_VERSION}")

    def pip(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        self.run(name, [self.layout.python, "-m", "pip", "--disable-pip-version-check", *args], env=env)

    def download(self) -> None:
        dl = self.layout.work / "dl"
        shutil.rmtree(dl, ignore_errors=True)
        self.pip(
            "download",
            "download",
            "--no-deps",
            "--no-binary=llama-cpp-python",  # the sdist; its build tools may come as wheels
            "--dest",
            str(dl),
            f"llama-cpp-python=={LLAMA_CPP_PYTHON_VERSION}",
        )

    def sdist(self) -> Path:
        found = sorted((self.layout.work / "dl").glob("llama_cpp_python-*.tar.gz"))
        if not found:
            raise BuildError(f"download: no llama_cpp_python sdist in {self.layout.work / 'dl'}")
        return found[0]

    def extract(self) -> None:
        shutil.rmtree(self.layout.source, ignore_errors=True)
        self.run("extract", ["tar", "-xzf", self.sdist(), "-C", self.layout.work])

    def configure(self) -> None:
        shutil.rmtree(self.layout.cmake_build, ignore_errors=True)
        src = self.layout.cmake_build.parent
        self.run("configure", ["cmake", "-S", src, "-B", self.layout.cmake_build, *_CMAKE_OPTIONS])

    def compile(self) -> None:
        shown = -1

        def progress(line: str) -> None:
            # Make prints "[ 34%] Building ...", Ninja "[120/345] ...": show every 10%.
            nonlocal shown
            match = re.match(r"\[\s*(\d+)%\]", line) or re.match(r"\[(\d+)/(\d+)\]", line)
            if not match:
                return
            done = match.groups()
            percent = int(done[0]) if len(done) == 1 else 100 * int(done[0]) // int(done[1])
            if percent // 10 > shown // 10 or (percent == 100 and shown < 100):
                shown = percent
                self.say(f"compile: {percent:3d}%  {line.split('] ', 1)[-1].strip()[:70]}")

        self.run(
            "compile",
            ["cmake", "--build", self.layout.cmake_build, "--target", "llama-server"],
            env={"CMAKE_BUILD_PARALLEL_LEVEL": str(self.jobs)},
            on_line=progress,
        )

    def install_llama_server(self) -> None:
        """Copy the binary and its libraries out of the build tree (RUNPATH is $ORIGIN)."""
        target = self.layout.server_dir
        shutil.rmtree(target, ignore_errors=True)
        built = self.layout.cmake_build / "bin"
        target.mkdir(parents=True)
        for item in [built / "llama-server", *sorted(built.glob("lib*.so*"))]:
            shutil.copy2(item, target / item.name, follow_symlinks=False)

    def install_python_server(self) -> None:
        """Install the Python server without compiling, then give it the compiled libraries."""
        self.pip(
            "python-server",
            "install",
            "--no-cache-dir",  # never leave a library-less wheel in the user's pip cache
            f"llama-cpp-python[server] @ {self.sdist().resolve().as_uri()}",
            env={"CMAKE_ARGS": "-DLLAMA_BUILD=OFF -DLLAVA_BUILD=OFF"},
        )
        purelib = (
            self.run(
                "python-server-path",
                [self.layout.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            )
            .strip()
            .splitlines()[-1]
        )
        lib = Path(purelib) / "llama_cpp" / "lib"
        shutil.rmtree(lib, ignore_errors=True)
        lib.mkdir()
        for item in sorted(self.layout.server_dir.glob("lib*.so*")):
            shutil.copy2(item, lib / item.name, follow_symlinks=False)
        # Loading the libraries here catches a mismatch now rather than at server start.
        self.run("python-server-check", [self.layout.python, "-c", "import llama_cpp.llama_cpp"])

    def write_model(self) -> None:
        model = self.layout.model
        for old in self.layout.root.glob("tiny-llama-*.gguf"):
            old.unlink()
        tmp = model.with_name(f".{model.name}.tmp")
        self.run("model", [self.layout.python, _TINY_MODEL_SOURCE, tmp])
        os.replace(tmp, model)

    def versions(self) -> tuple[str, str]:
        out = self.run("llama-server-version", [self.layout.llama_server, "--version"])
        match = re.search(r"^version:\s*(.+)$", out, re.MULTILINE)
        python_version = (
            self.run(
                "python-server-version",
                [self.layout.python, "-c", "import llama_cpp; print(llama_cpp.__version__)"],
            )
            .strip()
            .splitlines()[-1]
        )
        return (match.group(1).strip() if match else out.strip()), python_version


def _check_tools() -> None:
    missing = [tool for tool in ("cmake", "tar") if shutil.which(tool) is None]
    if not (shutil.which("make") or shutil.which("ninja")):
        missing.append("make")
    if not any(shutil.which(cxx) for cxx in (os.environ.get("CXX", ""), "c++", "g++", "clang++") if cxx):
        missing.append("a C++ compiler (c++/g++/clang++)")
    if missing:
        raise BuildError(f"missing build tools: {', '.join(missing)} (Debian: apt-get install cmake make g++)")


def build(root: Path, jobs: int) -> ServerPaths:
    """Run every step not yet done, write the stamp last, and return the result."""
    layout = _Layout(root)
    paths = built_servers(root)
    if paths is not None:
        print(f"servers already built in {root}")
        return paths
    if not (layout.markers / "python-server.done").exists():
        _check_tools()
    root.mkdir(parents=True, exist_ok=True)
    layout.work.mkdir(exist_ok=True)
    b = _Builder(layout, jobs)
    print(f"building the local servers into {root} (jobs={jobs})", flush=True)
    b.step("venv", f"build venv with gguf=={GGUF_VERSION}", b.make_venv)
    b.step("download", f"llama-cpp-python=={LLAMA_CPP_PYTHON_VERSION} sdist from PyPI", b.download)
    b.step("extract", "unpack the sdist (vendored llama.cpp)", b.extract)
    b.step("configure", "cmake configure (shared libs, no UI, no OpenSSL)", b.configure)
    b.step("compile", f"cmake --build --target llama-server (-j{jobs}, ~5 min on 2 cores)", b.compile)
    b.step("install-llama-server", "copy llama-server and its libraries", b.install_llama_server)
    b.step("python-server", "pip install llama-cpp-python[server], reusing them", b.install_python_server)
    # The model's file name changes with tiny_model.py: an edit rebuilds only the model.
    b.step("model", "write the tiny GGUF model", b.write_model, output=layout.model)
    llama_server_version, python_version = b.versions()
    shutil.rmtree(layout.work, ignore_errors=True)
    stamp = {
        "llama_cpp_python_version": python_version,
        "gguf_version": GGUF_VERSION,
        "llama_server_version": llama_server_version,
        "model": layout.model.name,
        "model_sha256": hashlib.sha256(layout.model.read_bytes()).hexdigest(),
        "seconds_this_run": b.timings,
    }
    _write_atomically(root / _STAMP, json.dumps(stamp, indent=2) + "\n")
    total = time.monotonic() - b.started
    print("step times: " + ", ".join(f"{k} {v:.1f}s" for k, v in b.timings.items()))
    print(
        f"built in {total:.1f}s: llama-server {llama_server_version}, "
        f"llama-cpp-python {python_version}, model {layout.model.name}"
    )
    result = built_servers(root)
    assert result is not None
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``quirks build-servers``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="quirks build-servers",
        description="Build llama-server, the llama-cpp-python server and a tiny model (cached).",
    )
    parser.add_argument("--jobs", "-j", type=int, default=2, help="parallel compile jobs (default 2)")
    parser.add_argument("--rebuild", action="store_true", help="delete the cache and build again")
    parser.add_argument("--print-dir", action="store_true", help="print the cache directory and exit")
    args = parser.parse_args(argv)
    root = cache_dir()
    if args.print_dir:
        print(root)
        return 0
    if args.rebuild:
        shutil.rmtree(root, ignore_errors=True)
    try:
        build(root, max(1, args.jobs))
    except BuildError as exc:
        print(f"build-servers: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build-servers: interrupted; run it again to resume", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
