"""`quirks report`: the three files, every catalog cell in them, and bad input that leaves reports/ alone."""

import json

import pytest
from report_helpers import ROOT, copy_project, load, quirks

from provider_quirks.catalog import load_catalog
from provider_quirks.report.model import EVIDENCE_MARKS, STATUS_MARKS
from provider_quirks.results import EVIDENCE, STATUSES
from provider_quirks.yamlio import dump_yaml, load_yaml


def catalog_cells():
    return {(entry.quirk.id, target) for entry in load_catalog(ROOT / "quirks") for target in entry.quirk.targets}


def test_every_status_and_evidence_level_has_its_own_mark():
    assert list(STATUS_MARKS) == list(STATUSES)
    assert len(set(STATUS_MARKS.values())) == len(STATUSES)
    assert list(EVIDENCE_MARKS) == list(EVIDENCE)
    assert len(set(EVIDENCE_MARKS.values())) == len(EVIDENCE)


def test_report_has_every_cell_of_the_catalog(report_dir):
    data = load(report_dir / "quirks.json")
    assert {(cell["quirk"], cell["target"]) for cell in data["cells"]} == catalog_cells()
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    for cell in data["cells"]:
        anchor = f"cell-{cell['quirk']}--{cell['target']}".replace("@", "-at-")
        detail = (report_dir / "quirks" / f"{cell['quirk']}.md").read_text(encoding="utf-8")
        assert f'<a id="{anchor}"></a>' in detail
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html


def test_quirks_json_schema(report_dir, committed_results):
    data = load(report_dir / "quirks.json")
    assert data["schema_version"] == 1
    assert {"generated_at", "suite_version", "mode", "statuses", "evidence_levels", "targets", "summary"} <= set(data)
    assert set(data["statuses"]) == set(STATUSES)
    results = {(c["quirk"], c["target"]): c for c in load(committed_results)["cells"]}
    for cell in data["cells"]:
        required = {
            "quirk",
            "provider",
            "variant",
            "expected",
            "observed",
            "status",
            "evidence",
            "recorded_at",
            "sources",
        }
        assert required <= set(cell)
        result = results[(cell["quirk"], cell["target"])]
        assert (cell["status"], cell["evidence"]) == (result["status"], result["evidence"])
        assert set(cell["probes"]) == {p["probe"] for p in result["probes"]}
        for probe in result["probes"]:
            assert cell["expected"].get(probe["probe"]) == probe["expected"]
            assert cell["observed"].get(probe["probe"]) == probe["observed"]
        assert all(source["url"].startswith("http") for source in cell["sources"])
    counts = {status: sum(c["status"] == status for c in data["cells"]) for status in STATUSES}
    assert data["summary"]["all"]["status"] == counts


def test_report_shows_progress_and_a_summary(fresh_report):
    out, done = fresh_report
    progress = [line for line in done.stderr.splitlines() if line.startswith("  ")]
    assert len(progress) == len(load_catalog(ROOT / "quirks"))  # one line per quirk, as the replay runs in process
    assert all(": " in line and any(s in line for s in STATUSES) for line in progress)
    lines = done.stdout.splitlines()
    assert len(lines) <= 24  # one screen
    assert all(f"{STATUS_MARKS[s]} {s}" in lines[1] for s in STATUSES)
    assert all(f"{EVIDENCE_MARKS[e]} {e}" in lines[1] for e in EVIDENCE)
    wrote = f"wrote QUIRKS.md, index.html, quirks.json, CHANGES.md in {out}"
    details = len(load_catalog(ROOT / "quirks"))
    assert lines[-2:] == [wrote, f"wrote {details} quirk detail files in {out / 'quirks'}"]


def _bad_inputs(committed_results):
    good = load(committed_results)
    other_version = {**good, "schema_version": 99}
    unknown_quirk = {**good, "cells": [*good["cells"], {**good["cells"][0], "quirk": "no-such-quirk"}]}
    missing_cell = {**good, "cells": good["cells"][1:]}
    text = json.dumps(good)
    return {
        "other-schema-version": (json.dumps(other_version), "schema version 99"),
        "truncated": (text[: len(text) // 2], "truncated JSON"),
        "not-json": ("<html>not json</html>", "not a results file"),
        "unknown-quirk": (json.dumps(unknown_quirk), "'no-such-quirk', which is not in the catalog"),
        "missing-cell": (json.dumps(missing_cell), "no result for"),
    }


@pytest.mark.parametrize("case", ["other-schema-version", "truncated", "not-json", "unknown-quirk", "missing-cell"])
def test_bad_results_file_is_one_line_and_writes_nothing(case, committed_results, tmp_path):
    text, message = _bad_inputs(committed_results)[case]
    bad = tmp_path / "results.json"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "QUIRKS.md").write_text("previous report\n", encoding="utf-8")
    done = quirks("report", "--results", str(bad), "--out", str(out))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["QUIRKS.md"]
    assert (out / "QUIRKS.md").read_text(encoding="utf-8") == "previous report\n"


def test_a_cell_that_cannot_replay_stops_the_report(committed_results, tmp_path):
    """A cassette that lost an interaction: the report names the cell and what is missing, and writes nothing."""
    cell = next(c for c in load(committed_results)["cells"] if c["status"] == "holds" and c["cassette"])
    root = copy_project(tmp_path / "project")
    cassette = root / cell["cassette"]
    data = load_yaml(cassette.read_text(encoding="utf-8"))
    data["interactions"] = []
    cassette.write_text(dump_yaml(data), encoding="utf-8")
    done = quirks("report", "--root", str(root))
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    cell_name = f"{cell['quirk']}[{cell['target']}]"
    assert last.startswith(f"quirks report: {cell_name}: the cassette has no answer to this request")
    assert not (root / "reports").exists()
