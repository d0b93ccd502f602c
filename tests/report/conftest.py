"""Shared fixtures: real results files, produced by running the suite the way a user does."""

from pathlib import Path

import pytest
from report_helpers import ROOT, quirks, run_suite


@pytest.fixture(scope="session")
def committed_results(tmp_path_factory) -> Path:
    """A results file of the committed cassettes (replay)."""
    path = tmp_path_factory.mktemp("committed") / "results.json"
    run_suite(ROOT, path)
    return path


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory, committed_results) -> Path:
    out = tmp_path_factory.mktemp("report")
    done = quirks("report", "--results", str(committed_results), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def fresh_report(tmp_path_factory):
    """`quirks report` as a user runs it on the project: a replay of the committed cassettes."""
    out = tmp_path_factory.mktemp("fresh")
    done = quirks("report", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out, done
