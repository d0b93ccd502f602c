"""Assert the quirk, not the sample: a re-record of an unchanged provider must not drift any cell.

The opposite of ``test_cassette_changes_fail.py``. For every cell that holds on the committed
cassettes, hypothesis varies each successful answer the way a second live call would (ids,
timestamps, fingerprints, every token count, one more or one fewer content event, other answer
text: see ``variation.py``), and the cell must still hold. A drift here means an expectation
pins a sample value: replace it by a relation (``$present``, ``$gte: 1``, ``$lte`` the cap) or,
where the value is the quirk itself, name the field in ``Quirk.pinned``.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from holding import ROOT, committed_cassette, enough, holding_cells
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from variation import vary

from provider_quirks.catalog import CatalogEntry, cassette_path
from provider_quirks.expectations import ProbeExpectation
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.targets import Target
from provider_quirks.yamlio import dump_yaml, load_yaml

#: Variations tried per cell: a fraction of the profile's examples (there are over a hundred cells).
EXAMPLES = max(5, settings.default.max_examples // 6)
HOLDING = holding_cells()


def test_enough_cells_hold_for_the_property_to_mean_something():
    enough(HOLDING)


class VariedCell:
    """A holding cell replayed from a temporary copy of its cassette, with its answers varied."""

    def __init__(self, entry: CatalogEntry, target: Target, folder: Path) -> None:
        self.entry, self.target = entry, target
        self.original = load_yaml(committed_cassette(entry, target).read_text(encoding="utf-8"))
        self.copy = cassette_path(folder, entry.quirk.id, target)
        self.copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(committed_cassette(entry, target), self.copy)
        self.settings = RunSettings(live=False, cassette_dir=folder, root=ROOT)

    def status(self, draw, entry: CatalogEntry | None = None) -> tuple[str, str | None]:
        varied = vary(self.original, self.entry.quirk.pinned, draw)
        self.copy.write_text(dump_yaml(varied), encoding="utf-8")
        result = run_cell(entry or self.entry, self.target, self.settings)
        return result.status, result.reason


@pytest.mark.parametrize(("entry", "target"), [pytest.param(e, t, id=f"{e.quirk.id}[{t.id}]") for e, t in HOLDING])
def test_a_rerecord_of_an_unchanged_provider_still_holds(entry, target, tmp_path):
    check_still_holds(VariedCell(entry, target, tmp_path), entry, EXAMPLES)


def check_still_holds(cell: VariedCell, entry: CatalogEntry, examples: int) -> None:
    """The property itself: every drawn variation of the cell's answers leaves it holding."""

    @settings(
        max_examples=examples,
        database=None,
        # Shrinking a whole cassette is slow and adds nothing: the failure names the mismatched key.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.data())
    def still_holds(data):
        status, reason = cell.status(data.draw, entry)
        assert status == "holds", f"a re-record that differs only in incidental values made the cell {status}: {reason}"

    still_holds()


def planted(entry: CatalogEntry, target: Target, probe_id: str, pinned_usage: dict) -> CatalogEntry:
    """The entry with a sampled token count pinned in one probe's expectation (the mistake this test exists for)."""
    cell = entry.cell(target)
    probe = cell.probes[probe_id]
    assert probe.expect is not None
    wrong = ProbeExpectation(probe_id, "checked", expect={**probe.expect, "usage": pinned_usage}, since=probe.since)
    cells = {**entry.expectations.cells, target.id: dataclasses.replace(cell, probes={**cell.probes, probe_id: wrong})}
    return dataclasses.replace(entry, expectations=dataclasses.replace(entry.expectations, cells=cells))


def test_a_planted_pinned_token_count_is_caught(tmp_path):
    settings_ = RunSettings(live=False, cassette_dir=ROOT / "cassettes", root=ROOT)
    for entry, target in HOLDING:
        result = run_cell(entry, target, settings_)
        probe = next((p for p in result.probes if p.status == "holds" and (p.observed or {}).get("usage")), None)
        if probe is not None and (probe.observed or {})["usage"].get("output_tokens", 0) > 1:
            break
    else:
        pytest.fail("no holding cell observes usage")
    wrong = planted(entry, target, probe.probe, dict(probe.observed["usage"]))
    cell = VariedCell(entry, target, tmp_path)
    assert run_cell(wrong, target, cell.settings).status == "holds", "the planted count is the recorded one"
    with pytest.raises(AssertionError, match="made the cell drift"):
        check_still_holds(cell, wrong, examples=100)
