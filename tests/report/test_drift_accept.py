"""`quirks drift` and `quirks accept` on real results files.

A copy of the project is replayed (results A); one answer in one cassette is changed, as a live
re-recording would change it, and the copy is replayed again (results B, the cell drifts).
`quirks drift A B` names the cell and exits 1; `quirks accept B` rewrites that one expectation
and nothing else; a third replay holds again and `quirks drift A C` sees only the accepted change.
"""

import datetime as dt
import difflib
import json

import pytest
from report_helpers import copy_project, load, quirks, run_suite

from provider_quirks.expectations import load_expectations
from provider_quirks.yamlio import dump_yaml, load_yaml


def _flippable(results: dict):
    """A holding cell with a cassette and a probe whose expectation states the HTTP status.

    Replay matches requests on method, path, query and body, so the probe's body must be unique in its cell
    for the changed answer to reach that probe alone.
    """
    for cell in results["cells"]:
        if cell["status"] != "holds" or not cell["cassette"]:
            continue
        bodies = [json.dumps(p["request"]["body"]) for p in cell["probes"] if p["request"]]
        for probe in cell["probes"]:
            unique = probe["request"] and bodies.count(json.dumps(probe["request"]["body"])) == 1
            if unique and probe["status"] == "holds" and isinstance((probe["expected"] or {}).get("status"), int):
                return cell, probe
    pytest.skip("no holding cell with a status expectation in the catalog")


@pytest.fixture(scope="module")
def drifted(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"))
    before = root / "before.json"
    run_suite(root, before)
    cell, probe = _flippable(load(before))
    old_status = probe["expected"]["status"]
    new_status = 409 if old_status != 409 else 410
    cassette = root / cell["cassette"]
    data = load_yaml(cassette.read_text(encoding="utf-8"))
    request_body = probe["request"]["body"]
    flipped = 0
    for interaction in data["interactions"]:
        body = interaction["request"].get("body") or {}
        if body.get("json", body.get("string")) in (request_body, json.dumps(request_body, ensure_ascii=False)):
            interaction["response"]["status"] = {"code": new_status, "message": ""}
            flipped += 1
    assert flipped == 1, "the probe's interaction was not found in its cassette"
    cassette.write_text(dump_yaml(data), encoding="utf-8")
    after = root / "after.json"
    run_suite(root, after)
    return {"root": root, "before": before, "after": after, "cell": cell, "probe": probe, "status": new_status}


def test_the_changed_answer_drifts_its_cell(drifted):
    cells = {(c["quirk"], c["target"]): c for c in load(drifted["after"])["cells"]}
    assert cells[(drifted["cell"]["quirk"], drifted["cell"]["target"])]["status"] == "drift"


def test_drift_names_the_cell_and_exits_1(drifted):
    done = quirks("drift", str(drifted["before"]), str(drifted["after"]))
    assert done.returncode == 1, done.stderr
    cell, probe = drifted["cell"], drifted["probe"]
    line = next(line for line in done.stdout.splitlines() if cell["target"] in line)
    assert cell["quirk"] in line and "holds" in line and "drift" in line
    assert f"{probe['probe']}: status: {probe['expected']['status']} -> {drifted['status']}" in line
    assert "1 cell(s) drifted" in done.stdout


def test_drift_json(drifted):
    done = quirks("drift", str(drifted["before"]), str(drifted["after"]), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["schema_version"] == 1 and report["drifted"] == 1
    [change] = [c for c in report["changes"] if c["drifted"]]
    assert (change["quirk"], change["target"], change["kind"]) == (
        drifted["cell"]["quirk"],
        drifted["cell"]["target"],
        "status",
    )
    assert (change["old_status"], change["new_status"]) == ("holds", "drift")


def test_a_live_runs_drift_can_be_appended_to_changes_md(drifted, tmp_path):
    changes = tmp_path / "CHANGES.md"
    changes.write_text("# Changes\n", encoding="utf-8")
    done = quirks("drift", str(drifted["before"]), str(drifted["after"]), "--append-changes", str(changes))
    assert done.returncode == 1  # still fails the job on drift
    text = changes.read_text(encoding="utf-8")
    assert text.startswith("# Changes\n\n## Live run of ")
    assert ": 1 cell(s) drifted" in text and "after.json" in text
    assert drifted["cell"]["quirk"] in text and drifted["cell"]["target"] in text
    missing = quirks("drift", str(drifted["before"]), str(drifted["after"]), "--append-changes", str(tmp_path / "none"))
    assert missing.returncode == 2 and "run `quirks report` first" in missing.stderr


def test_same_results_do_not_drift(drifted):
    done = quirks("drift", str(drifted["before"]), str(drifted["before"]))
    assert (done.returncode, done.stdout.strip()) == (0, "no cell changed")


def _edited(path, tmp_path, name, change):
    data = load(path)
    change(data)
    out = tmp_path / name
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def test_inconclusive_never_counts_as_drift(drifted, tmp_path):
    """A live run that got a 503 for the flipped cell: listed, not counted."""
    key = (drifted["cell"]["quirk"], drifted["cell"]["target"])

    def busy(data):
        for cell in data["cells"]:
            if (cell["quirk"], cell["target"]) == key:
                cell["status"] = "inconclusive"

    done = quirks("drift", str(drifted["before"]), str(_edited(drifted["after"], tmp_path, "busy.json", busy)))
    assert done.returncode == 0, done.stdout
    assert "not compared (not counted)" in done.stdout


def test_same_status_but_other_behaviour_is_drift(drifted, tmp_path):
    key = (drifted["cell"]["quirk"], drifted["cell"]["target"])

    def other_error(data):
        for cell in data["cells"]:
            if (cell["quirk"], cell["target"]) == key:
                probe = next(p for p in cell["probes"] if p["probe"] == drifted["probe"]["probe"])
                probe["observed"]["error"] = {**(probe["observed"]["error"] or {}), "type": "renamed_error"}

    def other_text(data):
        for cell in data["cells"]:
            for probe in cell["probes"]:
                if probe["observed"]:
                    probe["observed"]["text"] = "a different sample"
                    probe["observed"]["usage"] = {"input_tokens": 99, "output_tokens": 99}

    changed = quirks("drift", str(drifted["before"]), str(_edited(drifted["before"], tmp_path, "e.json", other_error)))
    assert changed.returncode == 1 and "error.type" in changed.stdout
    sample = quirks("drift", str(drifted["before"]), str(_edited(drifted["before"], tmp_path, "t.json", other_text)))
    assert sample.returncode == 0, sample.stdout


def test_drift_rejects_bad_files(drifted, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "cells": [', encoding="utf-8")
    done = quirks("drift", str(drifted["before"]), str(bad))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def test_accept_filters_select_nothing_else(drifted):
    root = drifted["root"]
    other = "mistral" if drifted["cell"]["provider"] != "mistral" else "anthropic"
    before = {p: p.read_text(encoding="utf-8") for p in (root / "quirks").glob("*.yaml")}
    done = quirks("accept", str(drifted["after"]), "--provider", other, "--root", str(root))
    assert done.returncode == 0, done.stderr
    assert "no drifted expectation to accept" in done.stdout
    assert {p: p.read_text(encoding="utf-8") for p in (root / "quirks").glob("*.yaml")} == before
    unknown = quirks("accept", str(drifted["after"]), "--quirk", "no-such-quirk", "--root", str(root))
    assert unknown.returncode == 2 and "unknown quirk" in unknown.stderr


def test_accept_rewrites_only_the_drifted_expectation_then_it_holds(drifted):
    root, cell, probe = drifted["root"], drifted["cell"], drifted["probe"]
    before = {p: p.read_text(encoding="utf-8") for p in (root / "quirks").glob("*.yaml")}
    done = quirks("accept", str(drifted["after"]), "--quirk", cell["quirk"], "--root", str(root))
    assert done.returncode == 0, done.stderr
    today = dt.datetime.now(dt.timezone.utc).date()
    assert f"{cell['quirk']}[{cell['target']}] probe {probe['probe']}" in done.stdout
    assert f"since {today}" in done.stdout
    after = {p: p.read_text(encoding="utf-8") for p in (root / "quirks").glob("*.yaml")}
    changed = [p for p in before if before[p] != after[p]]
    assert len(changed) == 1
    diff = [
        line
        for line in difflib.unified_diff(before[changed[0]].splitlines(), after[changed[0]].splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    old_since = probe["since"]
    expected = {f"-          status: {probe['expected']['status']}", f"+          status: {drifted['status']}"}
    if old_since != str(today):
        expected |= {f"-        since: {old_since}", f"+        since: {today}"}
    # A line removed and added back unchanged is difflib grouping nearby changes into one block.
    moved = {line[1:] for line in diff if line.startswith("-")} & {line[1:] for line in diff if line.startswith("+")}
    assert {line for line in diff if line[1:] not in moved} == expected
    accepted = load_expectations(changed[0]).cells[cell["target"]].probes[probe["probe"]]
    assert accepted.since == today and accepted.expect["status"] == drifted["status"]
    again = root / "again.json"
    run_suite(root, again)
    cells = {(c["quirk"], c["target"]): c["status"] for c in load(again)["cells"]}
    assert cells[(cell["quirk"], cell["target"])] == "holds"
    compared = json.loads(quirks("drift", str(drifted["before"]), str(again), "--json").stdout)
    [change] = compared["changes"]  # still holds, but the provider answers differently than in the first run
    assert (change["quirk"], change["target"], change["kind"]) == (cell["quirk"], cell["target"], "observation")
