"""Every reconstructed answer says which of its parts a source shows; every reference resolves here.

A reconstructed interaction quotes its body from a public source, but the status code, the reason
phrase and the kept headers are often the suite's fill-in after the provider's documented envelope.
``evidence.quoted`` lists the parts the cited source really shows; the rest reads as filled in.
``envelope: documented`` marks a body only partly quoted, the rest following the documented envelope.
Recorded cassettes were answered live, so every part is the provider's and they carry no such list.

Notes, pending reasons and docstrings cite public sources by URL or files of this repository, never
notes kept outside it (a research folder, a shared folder next to the checkout).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from provider_quirks.cassette import Cassette, load_cassette

ROOT = Path(__file__).resolve().parents[1]
CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))
#: The parts of an answer a source can show: the status code, its reason phrase, the kept headers, the body.
PARTS = ("status", "reason", "headers", "body")
#: Reconstructed interactions when this test was written; fewer means cassettes were dropped unchecked.
MIN_RECONSTRUCTED = 140
#: Where the project's own text lives; generated reports are rebuilt from these.
SCANNED = ("cassettes", "quirks", "src", "tests", "docs", "README.md")
#: A path into a notes folder outside the repository (a research folder, a sibling shared folder), not a URL path.
OUTSIDE_REFERENCE = re.compile(r"(?:^|[\s'\"`(\[]|\.\./|\./)research/|\.\./shared")


def reconstructed(cassette: Cassette) -> bool:
    return cassette.evidence.get("level") == "reconstructed"


def quoted_problems(cassette: Cassette) -> list[str]:
    """What is wrong with the ``quoted``/``envelope`` keys of the cassette's interactions, one line each."""
    problems = []
    for index, interaction in enumerate(cassette.interactions):
        evidence = dict(interaction.evidence or {})
        where = f"interaction {index} ({evidence.get('probe')})"
        if not reconstructed(cassette):
            if "quoted" in evidence or "envelope" in evidence:
                problems.append(f"{where}: a recorded answer is the provider's in full; no quoted/envelope")
            continue
        quoted = evidence.get("quoted")
        if not isinstance(quoted, list) or not quoted:
            problems.append(f"{where}: evidence.quoted must list the parts the source shows")
            continue
        unknown = [part for part in quoted if part not in PARTS]
        if unknown:
            problems.append(f"{where}: unknown parts {unknown}; known: {list(PARTS)}")
        if "body" not in quoted:
            problems.append(f"{where}: a reconstructed body is always quoted from its source")
        if len(set(map(str, quoted))) != len(quoted):
            problems.append(f"{where}: a part is listed twice in {quoted}")
        if "envelope" in evidence and evidence["envelope"] != "documented":
            problems.append(f"{where}: envelope must be 'documented', not {evidence['envelope']!r}")
    return problems


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: str(p.relative_to(ROOT / "cassettes")))
def test_quoted_parts_are_declared(path: Path) -> None:
    assert quoted_problems(load_cassette(path)) == []


def test_every_reconstructed_interaction_is_counted() -> None:
    count = sum(len(c.interactions) for c in map(load_cassette, CASSETTES) if reconstructed(c))
    assert count >= MIN_RECONSTRUCTED


def test_a_missing_or_wrong_declaration_is_caught() -> None:
    """The check above can fail: planted mistakes in a real reconstructed cassette are each reported."""
    original = next(c for c in map(load_cassette, CASSETTES) if reconstructed(c))
    assert quoted_problems(original) == []
    first, rest = original.interactions[0], original.interactions[1:]
    evidence = dict(first.evidence or {})
    cases = {
        "missing": {k: v for k, v in evidence.items() if k != "quoted"},
        "empty": {**evidence, "quoted": []},
        "no body": {**evidence, "quoted": ["status"]},
        "unknown part": {**evidence, "quoted": ["body", "trailers"]},
        "bad envelope": {**evidence, "envelope": "guessed"},
    }
    for name, planted_evidence in cases.items():
        planted = replace(original, interactions=(replace(first, evidence=planted_evidence), *rest))
        assert quoted_problems(planted), name
    recorded = replace(original, metadata={"evidence": {"level": "recorded"}})
    assert quoted_problems(recorded), "a recorded cassette with quoted parts"


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        files += [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return [p for p in files if "__pycache__" not in p.parts]


def test_no_reference_leaves_the_repository() -> None:
    offenders = []
    for path in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary fixtures hold no references
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE_REFERENCE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert offenders == []


def test_the_reference_check_can_fail() -> None:
    folder = "research" + "/"
    assert OUTSIDE_REFERENCE.search(f"quoted in {folder}evidence.md §5")
    assert OUTSIDE_REFERENCE.search(f"see `{folder}evidence.md`")
    assert OUTSIDE_REFERENCE.search(".." + "/shared/notes.md")
    assert not OUTSIDE_REFERENCE.search(f"https://www.anthropic.com/{folder}building-effective-agents")
