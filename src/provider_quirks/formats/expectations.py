"""The expectation files (``quirks/*.yaml``) as a model: what the loader in ``provider_quirks.expectations`` accepts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import ConfigDict, Discriminator, Field, Tag, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema
from typing_extensions import TypeAliasType

from provider_quirks.formats.base import Closed, EvidenceLevel, Reason, Url


class Operators(Closed):
    """An expected value given by operators instead of literally; operators never share a mapping with fields."""

    regex: str | None = Field(None, alias="$regex", json_schema_extra={"format": "regex"})
    contains: ExpectedValue | None = Field(None, alias="$contains")
    present: ExpectedValue | None = Field(None, alias="$present")
    length: ExpectedValue | None = Field(None, alias="$len")
    at_least: ExpectedValue | None = Field(None, alias="$gte")
    at_most: ExpectedValue | None = Field(None, alias="$lte")

    @field_validator("regex")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        try:
            re.compile(pattern or "")
        except re.error as error:
            raise ValueError(f"bad $regex: {error}") from None
        return pattern


#: Field names never start with ``$`` (that is an operator); the schema says so with ``additionalProperties``.
FieldName = Annotated[str, Field(pattern=r"^([^$]|$)")]
Fields = TypeAliasType(
    "Fields", Annotated["dict[FieldName, ExpectedValue]", Field(json_schema_extra={"additionalProperties": False})]
)
ExpectedValue = TypeAliasType(
    "ExpectedValue", "Operators | Fields | list[ExpectedValue] | str | int | float | bool | None"
)


Expect = Annotated[Operators | Fields, Field(description="a partial observation")]


class Expected(Closed):
    """What the probe's observation must show (a partial observation), since the date of its evidence."""

    since: dt.date
    expect: Expect | SkipJsonSchema[None] = Field(None, description="left out: the default for this probe")

    @field_validator("expect", mode="before")
    @classmethod
    def _written(cls, expect: Any) -> Any:
        """Left out means the default; an explicit ``null`` is a mistake (a default is not validated)."""
        if expect is None:
            raise ValueError("expect must be a mapping; leave it out to use the default")
        return expect


class Default(Closed):
    """The expectation of a probe on every checked cell that gives only ``since`` for it."""

    expect: Expect


class Pending(Closed):
    """Nobody knows yet: the reason says what evidence is missing."""

    reason: Reason = Field(alias="pending")


class NotApplicable(Closed):
    """The probe or target cannot show this quirk: the reason says why."""

    reason: Reason = Field(alias="n/a")


def entry_kind(entry: Any) -> str:
    """Which kind of entry a mapping is: the key it has decides (``n/a``, ``pending``, else the full form)."""
    if isinstance(entry, Mapping):
        return next((kind for kind in ("n/a", "pending") if kind in entry), "full")
    return "n/a" if isinstance(entry, NotApplicable) else "pending" if isinstance(entry, Pending) else "full"


ProbeEntry = Annotated[
    Annotated[Expected, Tag("full")] | Annotated[Pending, Tag("pending")] | Annotated[NotApplicable, Tag("n/a")],
    Discriminator(entry_kind),
]


class CheckedCell(Closed):
    """A target whose probes are checked against evidence: its level, its sources, one entry per probe."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"evidence": {"const": "reconstructed"}}},
            "then": {"required": ["sources"], "properties": {"sources": {"type": "array", "minItems": 1}}},
        }
    )

    evidence: EvidenceLevel
    sources: list[Url] | None = Field(None, description="required, non-empty, for reconstructed evidence")
    probes: dict[str, ProbeEntry]

    @model_validator(mode="after")
    def _cited(self) -> CheckedCell:
        if self.evidence == "reconstructed" and not self.sources:
            raise ValueError("reconstructed evidence must cite its sources")
        return self


CellEntry = Annotated[
    Annotated[CheckedCell, Tag("full")] | Annotated[Pending, Tag("pending")] | Annotated[NotApplicable, Tag("n/a")],
    Discriminator(entry_kind),
]


class Expectations(Closed):
    """One quirk's expectations, per target (``provider@variant``): checked, pending or n/a.

    A probe entry without ``expect`` needs a default for its probe (which JSON Schema cannot say).
    """

    quirk: str
    defaults: dict[str, Default] = Field(default_factory=dict, description="probe id -> default expectation")
    cells: dict[str, CellEntry]

    @model_validator(mode="after")
    def _defaulted(self) -> Expectations:
        for target, cell in self.cells.items():
            probes = cell.probes.items() if isinstance(cell, CheckedCell) else ()
            for probe, entry in probes:
                if isinstance(entry, Expected) and entry.expect is None and probe not in self.defaults:
                    raise ValueError(f"cells.{target}.probes.{probe}: no expect, and defaults has no {probe!r}")
        return self
