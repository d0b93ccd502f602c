"""SDK cells' cassettes: the REST evidence each SDK probe replays, copied with its sources.

An SDK probe names the REST interaction it replays (``Replay``); ``sdk_cassette`` copies that
interaction (request, response and its evidence note) into the SDK cell's cassette, tagged with
the SDK probe's id and the origin (``replays``), and the metadata takes the REST cassette's
evidence level and sources plus the SDK and version the copy was made for. Interactions written
by hand (an answer quoted from a source for this cell only, with its own ``evidence`` note) are
kept as they are. ``python -m provider_quirks.sdk.cassettes`` rewrites every SDK cassette;
``tests/sdk`` checks that each copy still equals its origin.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

from provider_quirks.cassette import write_atomically
from provider_quirks.catalog import CatalogEntry, cassette_path, load_catalog
from provider_quirks.sdk.clients import sdk_client
from provider_quirks.sdk.quirk import Replay, SdkProbe, SdkQuirk
from provider_quirks.targets import Target, resolve_target
from provider_quirks.yamlio import dump_yaml, load_yaml

NOTES = (
    "Each response is the REST cell's reconstructed answer, copied with its evidence note (replays: the origin). "
    "What the SDK sends, how often, and what it returns or raises is measured on the installed SDK at replay."
)


def origin(cassette_dir: Path, replay: Replay) -> tuple[dict[str, Any], dict[str, Any]]:
    """The REST cassette's evidence block and the interaction that answered ``replay.probe``."""
    path = cassette_path(cassette_dir, replay.quirk, resolve_target(replay.target))
    data = load_yaml(path.read_text(encoding="utf-8"))
    for interaction in data["interactions"]:
        if (interaction.get("evidence") or {}).get("probe") == replay.probe:
            return dict(data["metadata"]["evidence"]), interaction
    raise LookupError(f"{path}: no interaction for probe {replay.probe}")


def copied(interaction: dict[str, Any], probe_id: str, replay: Replay) -> dict[str, Any]:
    """The REST interaction, tagged with the SDK probe that replays it and where it was copied from."""
    entry = copy.deepcopy(interaction)
    entry["evidence"] = {
        "probe": probe_id,
        "replays": replay.ref,
        **{k: v for k, v in entry["evidence"].items() if k != "probe"},
    }
    return entry


def sdk_cassette(entry: CatalogEntry, target: Target, cassette_dir: Path) -> dict[str, Any] | None:
    """The cell's cassette data: copied answers first, then any hand-written interactions kept."""
    path = cassette_path(cassette_dir, entry.quirk.id, target)
    existing = load_yaml(path.read_text(encoding="utf-8")) if path.is_file() else {}
    kept = [i for i in existing.get("interactions") or [] if "replays" not in (i.get("evidence") or {})]
    interactions, levels, sources = [], [], []
    for probe in entry.quirk.probes:
        call = probe.call(target) if isinstance(probe, SdkProbe) else None
        if call is None or call.answer is None:
            continue
        evidence, answer = origin(cassette_dir, call.answer)
        levels.append(evidence["level"])
        note = answer.get("evidence") or {}
        cited = [{"url": note["source"], "date": note.get("date")}] if note.get("source") else evidence.get("sources")
        sources += [s for s in cited or [] if s not in sources]
        interactions.append(copied(answer, probe.id, call.answer))
    old = dict((existing.get("metadata") or {}).get("evidence") or {})
    if kept:  # hand-written answers are cited in the existing metadata
        sources += [s for s in old.get("sources") or [] if s not in sources]
    if not interactions and not kept:
        return None
    level = "recorded" if levels and all(level == "recorded" for level in levels) and not kept else "reconstructed"
    client = sdk_client(target.id)
    evidence = {
        "level": level,
        "sources": sources,
        "sdk": f"{client.package} {client.version()}",
        "notes": old.get("notes") or NOTES,
    }
    return {"metadata": {"evidence": evidence}, "interactions": interactions + kept, "version": 1}


def write_sdk_cassettes(root: Path) -> list[Path]:
    written = []
    for entry in load_catalog(root / "quirks"):
        if not isinstance(entry.quirk, SdkQuirk):
            continue
        for target in entry.targets():
            data = sdk_cassette(entry, target, root / "cassettes")
            if data is not None:
                path = cassette_path(root / "cassettes", entry.quirk.id, target)
                write_atomically(path, dump_yaml(data))
                written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_sdk_cassettes(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()):
        print(f"wrote {written_path}")
