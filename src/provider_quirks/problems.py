"""Load problems: each mistake in a catalog file as one line, ``file:line:column: entry: what is wrong``.

Loading the catalog reports every problem of a file at once, so a contributor fixes them in one
pass instead of one per run. The line and column come from the YAML node the entry was read from
(``positions``), so an editor can jump to it.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from provider_quirks.yamlio import compose_yaml

#: Where an entry sits in a YAML document: its mapping keys and list indexes from the top.
Key = tuple[str | int, ...]


def shown(path: Path) -> str:
    """The path as a contributor typed it: relative to the current folder when it is inside it."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def dotted(key: Key) -> str:
    """``cells.openai@gpt-4o.probes.p.expect.tool_calls[0].name``."""
    text = ""
    for step in key:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    entry: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = shown(self.path) + (f":{self.line}:{self.column}" if self.line is not None else "")
        return f"{place}: {self.entry}: {self.message}" if self.entry else f"{place}: {self.message}"


class LoadError(Exception):
    """Problems found while loading; ``str()`` is the whole report, one line per problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.column or 0)))
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class FileProblems:
    """Collects the problems of one file, each placed at the line of the entry it concerns."""

    path: Path
    marks: Mapping[Key, tuple[int, int]] = field(default_factory=dict)
    found: list[Problem] = field(default_factory=list)

    def add(self, key: Key, message: str) -> None:
        """A problem at ``key``, or at its nearest enclosing entry that has a position."""
        prefixes = (key[:end] for end in range(len(key), -1, -1))
        line, column = next((self.marks[k] for k in prefixes if k in self.marks), (None, None))
        self.found.append(Problem(self.path, message, dotted(key), line, column))


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'outcome'?)`` for a near miss, else the known words."""
    choices = sorted(known)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(choices)})"


@dataclass(frozen=True)
class Positions:
    """Line and column (1-based) of every mapping key and list item of a YAML document."""

    marks: dict[Key, tuple[int, int]]
    #: Keys written twice in one mapping, with both lines: YAML keeps the last one without a word.
    repeated: list[tuple[Key, int, int]]


def positions(text: str) -> Positions:
    found = Positions({}, [])

    def walk(node: yaml.Node, key: Key) -> None:
        if isinstance(node, yaml.MappingNode):
            for name, value in node.value:
                child, line = (*key, str(name.value)), name.start_mark.line + 1
                if child in found.marks:  # the last one counts: forget the first one's entries
                    found.repeated.append((child, found.marks[child][0], line))
                    for inner in [k for k in found.marks if k[: len(child)] == child]:
                        del found.marks[inner]
                found.marks[child] = (line, name.start_mark.column + 1)
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*key, index)
                found.marks[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
                walk(item, child)

    root = compose_yaml(text)
    if root is not None:
        walk(root, ())
    return found


def yaml_problem(path: Path, error: yaml.YAMLError) -> Problem:
    """A YAML syntax error as one line at its position (PyYAML's own text spans several lines)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Problem(path, message)
    return Problem(path, message, line=mark.line + 1, column=mark.column + 1)
