"""The fields an expectation may name, read off the code that builds the observations.

An expectation is compared with an observation key by key; a misspelt key (``outcom``) would be
compared with nothing and report ``drift``, as if the provider had changed. So loading checks
every key against the observation's shape. The shapes are derived, not listed: for REST cells
from ``Observation.to_json`` (with every nested record present); a layer with its own observation
record derives its shape with ``record_shape`` (the SDK layer's ``SdkObservation``). A new field is
allowed at once.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Union

from provider_quirks.observation import Observation
from provider_quirks.problems import Key, did_you_mean

#: The keys of an observation, each with the shape of its value: None where any value (and any
#: key below it) is accepted, e.g. ``headers`` or a tool call's ``arguments``. A list of records
#: has the shape of one record.
Shape = Mapping[str, Union["Shape", None]]


def _sample(hint: Any) -> Any:
    """A value of type ``hint`` in which every nested record (dataclass, TypedDict) is present."""
    args = typing.get_args(hint)
    record = next((kind for kind in (hint, *args) if _is_record(kind)), None)
    if record is not None:
        one = _record(record)
        return [one] if typing.get_origin(hint) in (list, tuple) else one
    origin = typing.get_origin(hint)
    if origin is tuple:
        return ()
    if origin is dict:
        return {}
    return None


def _is_record(kind: Any) -> bool:
    return isinstance(kind, type) and (dataclasses.is_dataclass(kind) or typing.is_typeddict(kind))


def _record(kind: type) -> Any:
    hints = typing.get_type_hints(kind)
    if typing.is_typeddict(kind):
        return {name: _sample(hint) for name, hint in hints.items()}
    fields = {f.name: _sample(hints[f.name]) for f in dataclasses.fields(kind)}
    return kind(**fields)


def shape_of(value: Any) -> Shape | None:
    """The shape of a JSON value: a mapping's keys (recursively), or None for a free value."""
    if isinstance(value, Mapping) and value:
        return {str(key): shape_of(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)) and value:
        return shape_of(value[0])
    return None


def _shape(value: Any) -> Shape:
    shape = shape_of(value)
    assert shape is not None, "an observation record has fields"
    return shape


def record_shape(kind: type) -> Shape:
    """The fields of an observation record (a dataclass or TypedDict), nested records included."""
    return _shape(_record(kind))


#: What a REST cell's expectation may name (``Observation.to_json``).
REST_SHAPE: Shape = _shape(_record(Observation).to_json())


def misnamed(expected: Any, shape: Shape | None, at: Key = ()) -> Iterator[tuple[Key, str]]:
    """Every key of ``expected`` that names no field of the observation: (where, what is wrong)."""
    if shape is None or is_operator(expected):
        return
    if isinstance(expected, list):
        for index, item in enumerate(expected):
            yield from misnamed(item, shape, (*at, index))
    elif isinstance(expected, Mapping):
        for key, value in expected.items():
            if key in shape:
                yield from misnamed(value, shape[key], (*at, key))
            else:
                yield (*at, str(key)), f"unknown field {key!r}{did_you_mean(str(key), shape)}"


def is_operator(value: Any) -> bool:
    """``{$contains: ...}``: a mapping that states a relation instead of fields."""
    return isinstance(value, Mapping) and any(str(key).startswith("$") for key in value)
