"""Each cell's timeline: when its behaviour was first evidenced, and each change of its cassette or expectation.

Two layers, because they promise different things:

- **From the tree**, always: the date of each source a cassette quotes (first evidence), the day a
  cassette was recorded live, and each probe's ``since`` (the evidence date of its expectation).
  These are data in the repository, so they are part of the report's bytes like everything else.
- **From git**, when the repository's full history is present: each commit that changed the
  cell's cassette (``cassettes/<quirk>/<target>.yaml``) or the cell's own block of its expectation
  file (``quirks/<module>.yaml``, compared parsed, so an edit of another cell does not count), with
  its day, short hash and subject. A shallow clone, a copy without ``.git`` or a machine without
  git gets the tree layer alone, and the report says which it used.

Why the git layer is marked, not fresh-checked: a report committed together with the cassette it
describes cannot name the commit that commits it, and CI checks out a shallow clone, whose report
has no git layer at all. So the same repository state gives the same bytes (nothing here reads the
clock or the working tree's git status), but ``tests/report/test_report_fresh.py`` compares the
committed report without the history blocks (``<!-- history -->`` in Markdown, ``class="history"``
in HTML, and all of ``CHANGES.md``); ``tests/report/test_history.py`` checks them on their own.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Order of events on one day: first evidence, then the expectation, a live recording, commits.
KINDS = ("source", "since", "recorded", "commit")
HISTORY_START = "<!-- history -->"
HISTORY_END = "<!-- /history -->"


@dataclass(frozen=True)
class Event:
    date: str
    kind: str
    text: str
    link: str | None = None
    order: int = 0
    """Among commits: the higher, the newer (git's own order; many commits share a day)."""

    def key(self) -> tuple[str, int, int, str, str]:
        """Oldest first; every field takes part, so equal-looking events still sort one way."""
        return (self.date, KINDS.index(self.kind), self.order, self.text, self.link or "")


@dataclass(frozen=True)
class Commit:
    hash: str
    date: str
    subject: str
    files: tuple[str, ...]


@dataclass
class GitHistory:
    """Commits that touched cassettes or expectation files, newest first; empty when git is not usable."""

    source: str
    commits: list[Commit] = field(default_factory=list)
    top: Path | None = None
    _blocks: dict[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def from_git(self) -> bool:
        return self.top is not None

    def events(self, cassette: Path | None, expectations: Path, target: str) -> list[Event]:
        """Commits that changed this cassette, or this target's block of the expectation file."""
        if self.top is None:
            return []
        cassette_path = _relative(cassette, self.top) if cassette else None
        expectation_path = _relative(expectations, self.top)
        found = []
        for age, commit in enumerate(self.commits):
            order = len(self.commits) - age
            if cassette_path and cassette_path in commit.files:
                found.append(Event(commit.date, "commit", f"cassette: {commit.subject}", commit.hash, order))
            elif expectation_path in commit.files and self._cell_changed(commit, expectation_path, target):
                found.append(Event(commit.date, "commit", f"expectation: {commit.subject}", commit.hash, order))
        return found

    def _cell_changed(self, commit: Commit, path: str, target: str) -> bool:
        return bool(self._cell_block(commit.hash, path, target) != self._cell_block(f"{commit.hash}^", path, target))

    def _cell_block(self, revision: str, path: str, target: str) -> Any:
        if (revision, path) not in self._blocks:
            text = _git(self.top, "show", f"{revision}:{path}") if self.top else None
            try:
                self._blocks[(revision, path)] = yaml.safe_load(text) if text else None
            except yaml.YAMLError:
                self._blocks[(revision, path)] = None
        data = self._blocks[(revision, path)]
        cells = data.get("cells") if isinstance(data, Mapping) else None
        return cells.get(target) if isinstance(cells, Mapping) else None


def read_git_history(root: Path, paths: Sequence[str] = ("cassettes", "quirks")) -> GitHistory:
    """The project's commits on cassettes and expectations, or why there are none."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return GitHistory("the tree's dates only: no git repository here")
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return GitHistory("the tree's dates only: this is a shallow clone, without the history")
    log = _git(root, "log", "--abbrev=10", "--format=%x00%h%x09%cs%x09%s", "--name-only", "--", *paths)
    if log is None:
        return GitHistory("the tree's dates only: git log failed")
    commits = []
    for chunk in log.split("\0")[1:]:
        head, _, files = chunk.partition("\n")
        short, date, subject = head.split("\t", 2)
        commits.append(Commit(short, date, subject, tuple(f for f in files.splitlines() if f)))
    return GitHistory("git history and the tree's dates", commits, Path(top.strip()))


def tree_events(
    sources: Iterable[tuple[str, str | None]], recorded_at: str | None, since: Mapping[str, str]
) -> list[Event]:
    """Events written in the tree: dated sources, a live recording, each probe's ``since``."""
    events = [Event(date, "source", "evidence dated", url) for url, date in sources if date]
    if recorded_at:
        events.append(Event(recorded_at[:10], "recorded", "recorded live by this suite"))
    events += [Event(date, "since", f"expectation of {probe} dated") for probe, date in since.items()]
    return events


def timeline(events: Iterable[Event]) -> tuple[Event, ...]:
    """Oldest first, each event once."""
    return tuple(sorted(set(events), key=Event.key))


def _relative(path: Path, top: Path) -> str:
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return path.as_posix()


def _git(root: Path | None, *args: str) -> str | None:
    """Git's output, or None when git is missing or fails (not a repository, no such revision)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None
