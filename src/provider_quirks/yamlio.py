"""YAML reading and writing for cassettes and expectations: fast, safe and diff-friendly.

libyaml's C loader and dumper are used when present (ten times faster on large cassettes);
multi-line strings are written as literal blocks so SSE bodies read as they were sent.
"""

from __future__ import annotations

from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Literal blocks for multi-line text, no anchors; otherwise PyYAML's safe dumper."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, value: str) -> Any:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def compose_yaml(text: str) -> Any:
    """The node tree, which keeps each entry's line and column (for error messages)."""
    return yaml.compose(text, Loader=_Loader)


def dump_yaml(data: Any) -> str:
    return str(
        yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)
    )
