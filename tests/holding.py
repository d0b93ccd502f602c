"""The cells that hold on the committed cassettes: what the two cassette properties run on.

``test_cassette_changes_fail.py`` (any changed answer drifts its cell) and
``test_incidental_variation.py`` (an incidental change never does) mean something only over
enough cells: both require at least ``MIN_REST_HOLDING`` cells of the HTTP APIs and, where the
official SDKs are installed (the ``sdk`` extra), ``MIN_SDK_HOLDING`` SDK cells, so cells quietly
turning `pending` cannot make them pass. Raise them when cells are added.
"""

from __future__ import annotations

from pathlib import Path

from provider_quirks.catalog import CatalogEntry, cassette_path, load_catalog
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.sdk.clients import SDK_CLIENTS, SDK_TARGETS
from provider_quirks.targets import Target

ROOT = Path(__file__).resolve().parents[1]
MIN_REST_HOLDING = 105
MIN_SDK_HOLDING = 23
SDKS_INSTALLED = all(client.installed() for client in SDK_CLIENTS)


def committed_cassette(entry: CatalogEntry, target: Target) -> Path:
    return cassette_path(ROOT / "cassettes", entry.quirk.id, target)


def holding_cells() -> list[tuple[CatalogEntry, Target]]:
    """Cells with a cassette that hold when replayed as committed."""
    settings = RunSettings(live=False, cassette_dir=ROOT / "cassettes", root=ROOT)
    return [
        (entry, target)
        for entry in load_catalog(ROOT / "quirks")
        for target in entry.targets()
        if committed_cassette(entry, target).is_file() and run_cell(entry, target, settings).status == "holds"
    ]


def enough(cells: list[tuple[CatalogEntry, Target]]) -> None:
    sdk = sum(1 for _, target in cells if target.id in SDK_TARGETS)
    rest = len(cells) - sdk
    why = "a cell that turned pending or drift no longer proves anything here"
    assert rest >= MIN_REST_HOLDING, f"only {rest} HTTP cells hold (at least {MIN_REST_HOLDING} expected): {why}"
    if SDKS_INSTALLED:
        assert sdk >= MIN_SDK_HOLDING, f"only {sdk} SDK cells hold (at least {MIN_SDK_HOLDING} expected): {why}"
