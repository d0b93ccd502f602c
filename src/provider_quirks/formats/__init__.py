"""The suite's file formats as typed models, and the JSON Schema files published from them.

Four formats: the expectation files (``quirks/*.yaml``), the evidence parts of a cassette (its
``metadata`` block and each interaction's ``evidence`` note), the results file
(``.quirks/results.json``) and the report for other tools (``reports/quirks.json``).
``quirks schemas`` writes ``docs/schemas/*.schema.json`` from these models, so other tools can
validate the files without this package, and a test fails when a committed schema is stale.

The models use pydantic v2 rather than msgspec: on the committed 735 kB results file pydantic
validates the parsed JSON in 1.3 ms and msgspec in 0.35 ms (json.loads alone takes 3.4 ms), but
pydantic reports every error with its path where msgspec stops at the first, and the expectation
format tells its entries apart by which key they have, a union msgspec cannot express.

Hand-written files (expectations, cassette evidence) are closed: an unknown key is a mistake.
Generated files (results, report) are open, because their readers ignore keys a newer suite adds;
tests check that the models describe every key the suite writes. The expectation loader
(``provider_quirks.expectations``) stays the user-facing check with line and column; the model
accepts what it accepts, except what JSON cannot say: a key written twice, and ``since`` as a
YAML date rather than a quoted string. The published schema also cannot say that a probe entry
without ``expect`` needs a default for its probe; the model checks it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from provider_quirks.formats.cassettes import CassetteMetadata, CassetteMetadataBlock, InteractionEvidence
from provider_quirks.formats.expectations import Expectations, entry_kind
from provider_quirks.formats.report import QuirksReport
from provider_quirks.formats.results import ResultsFile
from provider_quirks.problems import Key

__all__ = [
    "SCHEMAS",
    "CassetteMetadata",
    "Expectations",
    "QuirksReport",
    "ResultsFile",
    "cassette_errors",
    "located_errors",
    "plain",
    "schema_text",
]

#: The published schema files (``docs/schemas/``) and the model each is generated from.
SCHEMAS: dict[str, type[BaseModel]] = {
    "expectations.schema.json": Expectations,
    "cassette-metadata.schema.json": CassetteMetadata,
    "results.schema.json": ResultsFile,
    "quirks.schema.json": QuirksReport,
}


class _KeyedEntries(GenerateJsonSchema):
    """Entries told apart by a key (``entry_kind``) become if/then/else on that key, not ``oneOf``.

    A validator then reports the mistake inside the entry (``probes.x.since: required``) instead of
    "not valid under any of the given schemas" at the cell.
    """

    def tagged_union_schema(self, schema: core_schema.TaggedUnionSchema) -> JsonSchemaValue:
        if schema["discriminator"] is not entry_kind:
            return super().tagged_union_schema(schema)
        entries = {tag: self.generate_inner(choice) for tag, choice in schema["choices"].items()}
        pending = {"if": {"required": ["pending"]}, "then": entries["pending"], "else": entries["full"]}
        return {"if": {"required": ["n/a"]}, "then": entries["n/a"], "else": pending}


def schema_text(model: type[BaseModel]) -> str:
    """The model's JSON Schema as committed: sorted keys, two-space indent, trailing newline."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(schema_generator=_KeyedEntries),
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def located_errors(error: ValidationError, data: Any) -> list[tuple[Key, str]]:
    """Each error as (the entry in ``data`` it concerns, message); union branch names are left out."""
    found = []
    for detail in error.errors(include_url=False):
        key: list[str | int] = []
        value = data
        for index, step in enumerate(detail["loc"]):
            inside = (isinstance(value, Mapping) and step in value) or (
                isinstance(value, list) and isinstance(step, int) and step < len(value)
            )
            if inside:
                value = value[step]
            elif index < len(detail["loc"]) - 1 or step == "[key]":
                continue  # a union branch's name or pydantic's mark for a key, not an entry of the file
            key.append(step)
        found.append((tuple(key), detail["msg"]))
    return list(dict.fromkeys(found))


def cassette_errors(metadata: Any, notes: Sequence[Any]) -> list[tuple[Key, str]]:
    """What the cassette-metadata schema finds in a loaded cassette's metadata and interaction notes."""
    found = _errors(CassetteMetadataBlock, metadata, ("metadata",))
    for index, note in enumerate(notes):
        if note is not None:
            found += _errors(InteractionEvidence, note, ("interactions", index, "evidence"))
    return found


def _errors(model: type[BaseModel], data: Any, at: Key) -> list[tuple[Key, str]]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [((*at, *key), message) for key, message in located_errors(error, data)]
    return []


def plain(value: Any) -> Any:
    """YAML data as JSON data: dates as ISO strings (how a JSON Schema validator sees the file)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value
