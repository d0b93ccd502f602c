"""Committed SDK cassettes: each copied answer is still its REST origin, byte for byte, with its sources."""

from pathlib import Path

import pytest

from provider_quirks.catalog import cassette_path, load_catalog
from provider_quirks.sdk.cassettes import origin, sdk_cassette
from provider_quirks.sdk.quirk import SdkProbe, SdkQuirk
from provider_quirks.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]


def sdk_cells():
    cells = []
    for entry in load_catalog(ROOT / "quirks"):
        if isinstance(entry.quirk, SdkQuirk):
            for target in entry.targets():
                if cassette_path(ROOT / "cassettes", entry.quirk.id, target).is_file():
                    cells.append(pytest.param(entry, target, id=f"{entry.quirk.id}[{target.id}]"))
    return cells


def test_there_are_sdk_cassettes():
    assert len(sdk_cells()) >= 15


@pytest.mark.parametrize(("entry", "target"), sdk_cells())
def test_copied_answers_equal_their_origin(entry, target):
    """When a REST cassette is re-recorded or corrected, run `python -m provider_quirks.sdk.cassettes`."""
    pytest.importorskip("openai")  # the writer names the installed SDK version
    committed = load_yaml(cassette_path(ROOT / "cassettes", entry.quirk.id, target).read_text(encoding="utf-8"))
    fresh = sdk_cassette(entry, target, ROOT / "cassettes")
    assert fresh is not None
    assert committed["interactions"] == fresh["interactions"]
    assert committed["metadata"]["evidence"]["sources"] == fresh["metadata"]["evidence"]["sources"]
    assert committed["metadata"]["evidence"]["level"] == fresh["metadata"]["evidence"]["level"]


@pytest.mark.parametrize(("entry", "target"), sdk_cells())
def test_every_replayed_probe_has_its_answer(entry, target):
    data = load_yaml(cassette_path(ROOT / "cassettes", entry.quirk.id, target).read_text(encoding="utf-8"))
    tagged = {(i.get("evidence") or {}).get("probe") for i in data["interactions"]}
    for probe in entry.quirk.probes:
        assert isinstance(probe, SdkProbe)
        call = probe.call(target)
        if call is not None and call.answer is not None:
            assert probe.id in tagged
            origin(ROOT / "cassettes", call.answer)  # the origin still exists
