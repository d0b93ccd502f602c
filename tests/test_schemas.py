"""The published JSON Schemas (docs/schemas/) are current and validate what the suite reads and writes.

Other tools validate against these files without this package, so each is checked with a plain
JSON Schema validator (``jsonschema``) on the committed data and on freshly generated output. The
expectation schema must agree with the expectation loader, the user-facing check: files the
loader rejects are rejected by the schema too. The generated formats are open for readers, so
the models must describe every key the suite writes: a round trip through the model keeps
every key.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

from provider_quirks.catalog import CatalogError, cassette_path, load_entry
from provider_quirks.cli import main
from provider_quirks.expectations import ExpectationError, load_expectations
from provider_quirks.formats import (
    SCHEMAS,
    CassetteMetadata,
    Expectations,
    QuirksReport,
    ResultsFile,
    plain,
)
from provider_quirks.results import CellResult, ResultsError, read_results, write_results
from provider_quirks.yamlio import dump_yaml, load_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "docs" / "schemas"
EXPECTATIONS = sorted((ROOT / "quirks").glob("*.yaml"))
CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))


def schema_errors(name: str, data: Any) -> list[str]:
    """What the published schema ``name`` finds in ``data`` (YAML data is read as JSON would be)."""
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(plain(data))]


def keeps_every_key(model: type[BaseModel], data: dict[str, Any]) -> bool:
    """Whether the model describes every key of ``data``: an open model drops the keys it does not know."""
    return model.model_validate(data).model_dump(mode="json", exclude_unset=True) == data


# --- the schema files are generated, and current ---------------------------------------------


def test_the_committed_schemas_are_current(capsys):
    assert main(["schemas", "--check", "--root", str(ROOT)]) == 0, capsys.readouterr().out
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")) == sorted(SCHEMAS)


def test_a_stale_schema_file_fails_the_check(tmp_path, capsys):
    (tmp_path / "quirks").mkdir()
    assert main(["schemas", "--root", str(tmp_path)]) == 0
    written = tmp_path / "docs" / "schemas" / "results.schema.json"
    assert written.read_text() == (SCHEMA_DIR / "results.schema.json").read_text()
    assert main(["schemas", "--check", "--root", str(tmp_path)]) == 0
    written.write_text(written.read_text().replace('"holds"', '"held"'))
    capsys.readouterr()
    assert main(["schemas", "--check", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out == f"stale: {written}\n"


def test_schema_files_are_deterministic():
    for name in SCHEMAS:
        text = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n", name


# --- expectations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXPECTATIONS, ids=lambda p: p.name)
def test_every_expectation_file_validates(path):
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert schema_errors("expectations.schema.json", data) == []
    Expectations.model_validate(data)


def first_checked_probe(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first checked cell of an expectation file, and its first probe with an ``expect``."""
    for cell in data["cells"].values():
        for probe in (cell.get("probes") or {}).values():
            if "expect" in probe:
                return cell, probe
    raise AssertionError("no checked probe")


def _unknown_top_level_key(data):
    data["quirks"] = data["quirk"]


def _bad_evidence_level(data):
    first_checked_probe(data)[0]["evidence"] = "hearsay"


def _pending_and_probes(data):
    first_checked_probe(data)[0]["pending"] = "not sure yet"


def _pending_and_expect(data):
    first_checked_probe(data)[1]["pending"] = "not sure yet"


def _blank_reason(data):
    data["cells"]["openai@gpt-4o"] = {"n/a": "  "}


def _reconstructed_without_sources(data):
    cell = first_checked_probe(data)[0]
    cell["evidence"] = "reconstructed"
    cell.pop("sources", None)


def _unknown_operator(data):
    first_checked_probe(data)[1]["expect"]["text"] = {"$startswith": "Hi"}


def _operator_beside_a_field(data):
    first_checked_probe(data)[1]["expect"]["error"] = {"$present": True, "type": "invalid_request_error"}


def _bad_regex(data):
    first_checked_probe(data)[1]["expect"]["text"] = {"$regex": "(unclosed"}


def _missing_since(data):
    del first_checked_probe(data)[1]["since"]


def _source_not_a_url(data):
    first_checked_probe(data)[0]["sources"] = ["the docs"]


#: Mistakes the loader rejects, each planted in a real expectation file.
MISTAKES: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown top-level key": _unknown_top_level_key,
    "bad evidence level": _bad_evidence_level,
    "cell both pending and checked": _pending_and_probes,
    "probe both pending and expected": _pending_and_expect,
    "blank reason": _blank_reason,
    "reconstructed without sources": _reconstructed_without_sources,
    "unknown operator": _unknown_operator,
    "operator beside a field": _operator_beside_a_field,
    "bad regex": _bad_regex,
    "missing since": _missing_since,
    "source not a URL": _source_not_a_url,
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_the_schema_rejects_what_the_loader_rejects(mistake, tmp_path):
    path = ROOT / "quirks" / "unknown_params.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"))
    MISTAKES[mistake](data)
    broken = tmp_path / path.name
    broken.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(ExpectationError):
        load_expectations(broken)
    assert schema_errors("expectations.schema.json", data) != []
    with pytest.raises(ValidationError):
        Expectations.model_validate(data)


@pytest.mark.parametrize(
    ("mistake", "entry"),
    [
        ("bad evidence level", ["cells", "<cell>", "evidence"]),
        ("probe both pending and expected", ["cells", "<cell>", "probes", "<probe>"]),
        ("missing since", ["cells", "<cell>", "probes", "<probe>"]),
        ("source not a URL", ["cells", "<cell>", "sources"]),
    ],
)
def test_a_schema_error_points_at_the_entry(mistake, entry):
    """The key-decided entries are if/then/else in the schema, so a validator names the entry, not the cell."""
    data = load_yaml((ROOT / "quirks" / "unknown_params.yaml").read_text(encoding="utf-8"))
    MISTAKES[mistake](data)
    cell, probe = first_checked_probe(data)
    cell_id = next(target for target, value in data["cells"].items() if value is cell)
    probe_id = next(name for name, value in cell["probes"].items() if value is probe)
    expected = [{"<cell>": cell_id, "<probe>": probe_id}.get(step, step) for step in entry]
    assert [error.split(": ", 1)[0] for error in schema_errors("expectations.schema.json", data)] == [str(expected)]


# --- cassettes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: str(p.relative_to(ROOT / "cassettes")))
def test_every_cassette_validates(path):
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert schema_errors("cassette-metadata.schema.json", data) == []
    CassetteMetadata.model_validate(data)


def reconstructed_cassette() -> dict[str, Any]:
    for path in CASSETTES:
        data = load_yaml(path.read_text(encoding="utf-8"))
        if data["metadata"]["evidence"]["level"] == "reconstructed" and data["interactions"][0].get("evidence"):
            return data
    raise AssertionError("no reconstructed cassette")


@pytest.mark.parametrize(
    ("where", "key", "value"),
    [
        ("metadata", "level", "guessed"),
        ("metadata", "recorded_on", "2026-11-26"),
        ("metadata", "sources", []),
        ("interaction", "quoted", ["status"]),
        ("interaction", "quoted", ["body", "body"]),
        ("interaction", "envelope", "guessed"),
        ("interaction", "sorce", "https://example.org"),
    ],
)
def test_a_wrong_evidence_block_is_rejected(where, key, value):
    data = reconstructed_cassette()
    block = data["metadata"]["evidence"] if where == "metadata" else data["interactions"][0]["evidence"]
    block[key] = value
    assert schema_errors("cassette-metadata.schema.json", data) != []
    with pytest.raises(ValidationError):
        CassetteMetadata.model_validate(data)


def test_the_catalog_names_a_wrong_evidence_block(tmp_path):
    """Loading a quirk checks its cells' cassettes against the schema, naming file and entry."""
    module = ROOT / "quirks" / "unknown_params.py"
    entry = load_entry(module, None)
    target = next(t for t in entry.targets() if entry.cell(t).status == "checked")
    original = cassette_path(ROOT / "cassettes", entry.quirk.id, target)
    copy = cassette_path(tmp_path, entry.quirk.id, target)
    copy.parent.mkdir(parents=True)
    shutil.copy(original, copy)
    load_entry(module, tmp_path)
    data = load_yaml(copy.read_text(encoding="utf-8"))
    data["metadata"]["evidence"]["recorded_on"] = "2026-11-26"
    copy.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_entry(module, tmp_path)
    assert f"{copy}: metadata.evidence.recorded_on: Extra inputs are not permitted" in str(raised.value)


# --- the results file -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_results(tmp_path_factory) -> Path:
    """A results file written by a replay of the committed cassettes, as a user runs it."""
    path = tmp_path_factory.mktemp("run") / "results.json"
    command = [sys.executable, "-m", "pytest", "quirks", f"--quirks-results={path}", "-q", "-p", "no:randomly"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1) and path.is_file(), done.stdout + done.stderr
    return path


def test_a_fresh_results_file_validates(fresh_results):
    data = json.loads(fresh_results.read_text(encoding="utf-8"))
    assert schema_errors("results.schema.json", data) == []
    assert keeps_every_key(ResultsFile, data)
    assert {cell["status"] for cell in data["cells"]} >= {"holds", "pending", "n/a"}


def test_reading_names_the_entry_a_malformed_results_file_gets_wrong(fresh_results, tmp_path):
    data = json.loads(fresh_results.read_text(encoding="utf-8"))
    index = next(i for i, cell in enumerate(data["cells"]) if cell["probes"])
    data["cells"][index]["probes"][0]["status"] = "held"
    broken = tmp_path / "results.json"
    broken.write_text(json.dumps(data))
    with pytest.raises(ResultsError, match=rf"cells\[{index}\]\.probes\[0\]\.status: Input should be 'holds'"):
        read_results(broken)
    assert schema_errors("results.schema.json", data) != []


def test_reading_ignores_keys_a_newer_suite_adds(fresh_results, tmp_path):
    data = json.loads(fresh_results.read_text(encoding="utf-8"))
    data["cells"][0]["new_field"] = {"from": "a newer suite"}
    newer = tmp_path / "results.json"
    newer.write_text(json.dumps(data))
    assert read_results(newer).cells == read_results(fresh_results).cells


def test_writing_refuses_a_record_outside_the_schema(tmp_path):
    cell = CellResult("null-values", "openai@gpt-4o", "openai", "gpt-4o", "held")
    path = tmp_path / "results.json"
    with pytest.raises(ValidationError, match=r"cells\.0\.status"):
        write_results(path, [cell], mode="replay")
    assert not path.exists()


# --- the report for other tools -----------------------------------------------------------------------


def test_the_committed_report_validates():
    data = json.loads((ROOT / "reports" / "quirks.json").read_text(encoding="utf-8"))
    assert schema_errors("quirks.schema.json", data) == []
    assert keeps_every_key(QuirksReport, data)
    assert not keeps_every_key(QuirksReport, {**data, "undescribed": True}), "the round trip must notice a new key"


def test_a_fresh_report_validates(fresh_results, tmp_path):
    command = [sys.executable, "-m", "provider_quirks.cli", "report", "--results", str(fresh_results)]
    done = subprocess.run([*command, "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "quirks.json").read_text(encoding="utf-8"))
    assert schema_errors("quirks.schema.json", data) == []
    assert keeps_every_key(QuirksReport, data)
    data["cells"][0]["status"] = "works"
    assert schema_errors("quirks.schema.json", data) != []
