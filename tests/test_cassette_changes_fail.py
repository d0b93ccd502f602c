"""A test that cannot fail is a defect: changing any committed cassette's answer must drift its cell.

For every cell that holds on the committed cassettes, each interaction is changed in turn (its
status, then its body) in a copy of the cassette, and the cell is run again: it must end in
`drift`, and no other cell is affected because each cell reads only its own cassette. The
cells are those of ``holding.py``, at least ``MIN_HOLDING_CELLS`` of them.
"""

import shutil

import pytest
from holding import ROOT, committed_cassette, enough, holding_cells

from provider_quirks.catalog import cassette_path
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.yamlio import dump_yaml, load_yaml

CHANGED_ERROR = '{"error": {"message": "changed", "type": "changed_error"}}'
HOLDING = holding_cells()


def test_enough_cells_hold_for_the_property_to_mean_something():
    enough(HOLDING)


def changed_answers(response: dict) -> list[tuple[str, dict]]:
    status = response["status"]["code"]
    ok = 200 <= status < 300
    other_status = 400 if ok else 200
    return [
        ("status", {**response, "status": {"code": other_status, "message": ""}}),
        ("body", {**response, "body": {"string": "{}" if ok else CHANGED_ERROR}}),
    ]


@pytest.mark.parametrize(("entry", "target"), [pytest.param(e, t, id=f"{e.quirk.id}[{t.id}]") for e, t in HOLDING])
def test_changing_any_answer_drifts_the_cell(entry, target, tmp_path):
    settings = RunSettings(live=False, cassette_dir=tmp_path, root=ROOT)
    original = committed_cassette(entry, target)
    copy = cassette_path(tmp_path, entry.quirk.id, target)
    copy.parent.mkdir(parents=True)
    shutil.copy(original, copy)
    data = load_yaml(original.read_text(encoding="utf-8"))
    for index, interaction in enumerate(data["interactions"]):
        for what, response in changed_answers(interaction["response"]):
            changed = {**data, "interactions": list(data["interactions"])}
            changed["interactions"][index] = {**interaction, "response": response}
            copy.write_text(dump_yaml(changed), encoding="utf-8")
            after = run_cell(entry, target, settings)
            assert after.status == "drift", f"changing the {what} of interaction {index} left the cell {after.status}"
