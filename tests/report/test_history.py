"""Each cell's history: deterministic, precise to the cell, and honest about where it comes from.

The freshness check leaves the history blocks out (provider_quirks/report/history.py says why),
so they are checked here: the same repository gives the same bytes, a commit counts for a cell
only when it changed that cell's cassette or that cell's block of the expectation file, and a
project without git, or a shallow clone, falls back to the tree's dates and says so.
"""

import re
import subprocess
from pathlib import Path

import pytest
from report_helpers import ROOT, copy_project, load, quirks, without_history

from provider_quirks.report.history import read_git_history

GIT = ["git", "-c", "user.name=quirks test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run([*GIT, "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return done.stdout


def report_files(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.md"))} | {
        "index.html": (out / "index.html").read_text(encoding="utf-8")
    }


def test_the_same_repository_gives_the_same_history(report_dir, committed_results, tmp_path):
    again = tmp_path / "again"
    done = quirks("report", "--results", str(committed_results), "--out", str(again))
    assert done.returncode == 0, done.stderr
    assert report_files(again) == report_files(report_dir)
    assert "from git history and the tree's dates" in (report_dir / "CHANGES.md").read_text(encoding="utf-8")


def test_every_dated_cell_has_a_history_and_changes_are_newest_first(report_dir):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    for cell in load(report_dir / "quirks.json")["cells"]:
        if not (cell["since"] or cell["recorded_at"] or any(s["date"] for s in cell["sources"])):
            continue
        anchor = f"cell-{cell['quirk']}--{cell['target']}".replace("@", "-at-")
        detail = html[html.index(f'id="{anchor}"') :]
        detail = detail[: detail.index("</section>")]
        assert '<div class="history">' in detail, anchor
        if cell["since"]:
            assert f"<time>{cell['since']}</time> expectation of" in detail, anchor
    changes = (report_dir / "CHANGES.md").read_text(encoding="utf-8")
    dates = re.findall(r"^- (\d{4}-\d{2}-\d{2}) · ", changes, re.M)
    assert dates and dates == sorted(dates, reverse=True)
    assert "cassette: " in changes or "expectation: " in changes  # this repository has git history


def test_history_is_the_only_part_left_out_of_the_freshness_check(report_dir):
    for name, marker in (("quirks/stream-usage.md", "<!-- history -->"), ("index.html", 'class="history"')):
        text = (report_dir / name).read_text(encoding="utf-8")
        stripped = without_history(text)
        assert marker in text and marker not in stripped
        assert "evidence: ◐ reconstructed" in stripped and "Answer parts:" in stripped


def test_without_git_the_report_uses_the_trees_dates_and_says_so(committed_results, tmp_path):
    root = copy_project(tmp_path / "project")
    out = root / "reports"
    done = quirks("report", "--results", str(committed_results), "--root", str(root), "--out", str(out))
    assert done.returncode == 0, done.stderr
    changes = (out / "CHANGES.md").read_text(encoding="utf-8")
    assert "from the tree's dates only: no git repository here" in changes
    assert "cassette: " not in changes and "expectation: " not in changes
    assert "expectation of " in changes
    assert "the tree&#x27;s dates only: no git repository here" in (out / "index.html").read_text(encoding="utf-8")


def test_a_shallow_clone_has_no_git_layer(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", ROOT.as_uri(), str(clone)], check=True, capture_output=True)
    history = read_git_history(clone)
    assert not history.from_git and history.commits == []
    assert "shallow clone" in history.source


@pytest.fixture
def repo(tmp_path) -> Path:
    """A two-commit repository: both cells, then a change of cell b's expectation and of a's cassette."""
    root = tmp_path / "repo"
    (root / "quirks").mkdir(parents=True)
    (root / "cassettes" / "q").mkdir(parents=True)
    git(root, "init", "-q")
    expectations = root / "quirks" / "q.yaml"
    expectations.write_text("quirk: q\ncells:\n  p@a:\n    evidence: none\n  p@b:\n    evidence: none\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "both cells")
    expectations.write_text("quirk: q\ncells:\n  p@a:\n    evidence: none\n  p@b:\n    evidence: reconstructed\n")
    (root / "cassettes" / "q" / "p@a.yaml").write_text("interactions: []\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "b reconstructed, a's cassette")
    return root


def test_a_commit_counts_for_the_cells_it_changed(repo):
    history = read_git_history(repo)
    assert history.from_git and len(history.commits) == 2
    expectations = repo / "quirks" / "q.yaml"
    a = [e.text for e in history.events(repo / "cassettes/q/p@a.yaml", expectations, "p@a")]
    b = [e.text for e in history.events(repo / "cassettes/q/p@b.yaml", expectations, "p@b")]
    assert a == ["cassette: b reconstructed, a's cassette", "expectation: both cells"]
    assert b == ["expectation: b reconstructed, a's cassette", "expectation: both cells"]
