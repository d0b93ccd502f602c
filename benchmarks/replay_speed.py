"""How long replaying the catalog takes, against the cost of collecting it (issue 13: no slower).

Baseline: ``pytest quirks --collect-only`` in the same project and run, which loads the plugin,
the catalog and every expectation but sends nothing. The ratio (replay / collection) says what
the replay adds on top of loading, independently of the machine's speed; compare it between two
versions of the suite by running this script in each checkout (``--root``). Each command runs
``REPEAT`` times and the median counts.

Run: ``python benchmarks/replay_speed.py [--root PATH]``. The last line is ``ratio_vs_collect_only: X.XX``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEAT = 5


def seconds(root: Path, *extra: str) -> float:
    """Median wall time of ``pytest quirks`` with ``extra`` options, run with this interpreter in ``root``."""
    environ = {**os.environ, "PYTHONPATH": str(root / "src")}
    environ.pop("PYTEST_ADDOPTS", None)
    command = [sys.executable, "-m", "pytest", "quirks", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *extra]
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        subprocess.run(command, cwd=root, env=environ, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    root = parser.parse_args().root.resolve()
    collect = seconds(root, "--collect-only")
    with tempfile.TemporaryDirectory() as folder:
        replay = seconds(root, "--quirks-results", str(Path(folder) / "results.json"))
    print(f"project: {root}")
    print(f"collect-only (baseline): {collect:.2f} s (median of {REPEAT})")
    print(f"replay: {replay:.2f} s (median of {REPEAT})")
    print(f"ratio_vs_collect_only: {replay / collect:.2f}")


if __name__ == "__main__":
    main()
