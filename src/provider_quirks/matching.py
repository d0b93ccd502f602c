"""Compare an expected (partial) observation with an observed one.

Pact's rule: strict about what the expectation states, loose about everything else. A mapping
matches when each of its keys matches; a list matches element by element and by length; a
scalar matches by equality. Operators cover what equality cannot: ``$regex``, ``$contains`` (a
substring, or for a list the elements that must occur in it),
``$present``, ``$len``, ``$gte`` and ``$lte`` (a relation such as "at least one token, at most the cap" holds
for every honest answer, where a sampled count would not).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def mismatches(expected: Any, observed: Any, path: str = "") -> list[str]:
    """Human-readable differences, empty when ``observed`` satisfies ``expected``."""
    if isinstance(expected, Mapping) and any(str(key).startswith("$") for key in expected):
        return _operator_mismatches(expected, observed, path)
    if isinstance(expected, Mapping):
        if not isinstance(observed, Mapping):
            return [f"{path or 'observation'}: expected an object, observed {observed!r}"]
        found: list[str] = []
        for key, value in expected.items():
            found += mismatches(value, observed.get(key), f"{path}.{key}" if path else str(key))
        return found
    if isinstance(expected, list):
        if not isinstance(observed, list) or len(observed) != len(expected):
            return [f"{path}: expected {expected!r}, observed {observed!r}"]
        found = []
        for index, (want, got) in enumerate(zip(expected, observed, strict=True)):
            found += mismatches(want, got, f"{path}[{index}]")
        return found
    if expected != observed:
        return [f"{path}: expected {expected!r}, observed {observed!r}"]
    return []


def _operator_mismatches(expected: Mapping[str, Any], observed: Any, path: str) -> list[str]:
    found = []
    for operator, operand in expected.items():
        if not _operator_holds(operator, operand, observed):
            found.append(f"{path}: expected {operator} {operand!r}, observed {observed!r}")
    return found


def _operator_holds(operator: str, operand: Any, observed: Any) -> bool:
    if operator == "$present":
        return (observed is not None) == bool(operand)
    if operator == "$regex":
        return isinstance(observed, str) and re.search(operand, observed) is not None
    if operator == "$contains":
        if isinstance(observed, list):  # every listed element occurs, however often and wherever
            wanted = operand if isinstance(operand, list) else [operand]
            return all(element in observed for element in wanted)
        return isinstance(observed, str) and isinstance(operand, str) and operand in observed
    if operator == "$len":
        return isinstance(observed, (list, str)) and len(observed) == operand
    if operator in ("$gte", "$lte"):
        if not isinstance(observed, (int, float)) or isinstance(observed, bool):
            return False
        return bool(observed >= operand) if operator == "$gte" else bool(observed <= operand)
    raise ValueError(f"unknown operator {operator}")
