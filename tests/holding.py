"""The cells that hold on the committed cassettes: what the two cassette properties run on.

``test_cassette_changes_fail.py`` (any changed answer drifts its cell) and
``test_incidental_variation.py`` (an incidental change never does) mean something only over
enough cells: both require at least ``MIN_HOLDING_CELLS``, so cells quietly turning `pending`
cannot make them pass. Raise it when cells are added.
"""

from __future__ import annotations

from pathlib import Path

from provider_quirks.catalog import Entry, cassette_path, load_catalog
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.targets import Target

ROOT = Path(__file__).resolve().parents[1]
MIN_HOLDING_CELLS = 128


def committed_cassette(entry: Entry, target: Target) -> Path:
    return cassette_path(ROOT / "cassettes", entry.quirk.id, target)


def holding_cells() -> list[tuple[Entry, Target]]:
    """Cells with a cassette that hold when replayed as committed."""
    settings = RunSettings(live=False, cassette_dir=ROOT / "cassettes", root=ROOT)
    return [
        (entry, target)
        for entry in load_catalog(ROOT / "quirks")
        for target in entry.targets()
        if committed_cassette(entry, target).is_file() and run_cell(entry, target, settings).status == "holds"
    ]


def enough(cells: list[tuple[Entry, Target]]) -> None:
    assert len(cells) >= MIN_HOLDING_CELLS, (
        f"only {len(cells)} cells hold on the committed cassettes (at least {MIN_HOLDING_CELLS} expected): "
        "a cell that turned pending or drift no longer proves anything here"
    )
