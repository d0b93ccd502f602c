"""Run one SDK cell: each probe's SDK call inside its own replayed cassette, observed and compared.

Reuses the REST runner's pieces: the cell's expectation, ``matching.mismatches``, ``CellResult``
and the cassette's evidence. Each probe replays only the interactions tagged with its id in the
cell's cassette (``evidence.probe``), matched on method, host, path and query: the body the SDK
sends is part of the observation, so an SDK that starts sending a different body drifts instead
of failing to replay. A request no interaction answers is observed as unanswered.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import vcr
from vcr.serialize import deserialize as vcr_deserialize

from provider_quirks.cassette import load_cassette
from provider_quirks.catalog import CatalogEntry, cassette_path
from provider_quirks.expectations import CellExpectation, ProbeExpectation
from provider_quirks.matching import mismatches
from provider_quirks.recording import SERIALIZER, AnswerLog
from provider_quirks.results import CellResult, ProbeResult
from provider_quirks.run_state import RunState
from provider_quirks.runner import attach_evidence, conclude, new_result, register_cell_runner, with_status
from provider_quirks.sdk.clients import INSTALL_HINT, SdkClient, sdk_client
from provider_quirks.sdk.observe import body_value, observe_call
from provider_quirks.sdk.quirk import SdkProbe, SdkQuirk
from provider_quirks.settings import RunSettings
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable
from provider_quirks.yamlio import dump_yaml, load_yaml

MATCH_ON = ("method", "host", "path", "query")


class ProbeInteractions:
    """A read-only persister that loads the interactions of one probe from the cell's cassette."""

    def __init__(self, probe: str) -> None:
        self.probe = probe
        #: Where each loaded interaction sits in the whole cassette.
        self.positions: list[int] = []

    def load_cassette(self, cassette_path: str, serializer: Any) -> tuple[Any, ...]:
        data = load_yaml(Path(cassette_path).read_text(encoding="utf-8"))
        everything = data["interactions"]
        self.positions = [n for n, i in enumerate(everything) if (i.get("evidence") or {}).get("probe") == self.probe]
        kept = [everything[n] for n in self.positions]
        return tuple(vcr_deserialize(dump_yaml({**data, "interactions": kept}), serializer))

    def save_cassette(self, cassette_path: str, cassette_dict: Mapping[str, Any], serializer: Any) -> None:
        """Replay never writes: SDK cassettes are copies of REST evidence (``sdk.cassettes``)."""


def _evidence_bodies(path: Path, probe: str) -> list[Any]:
    """The request bodies of the interactions that answer ``probe``, parsed."""
    interactions = load_cassette(path).interactions
    return [body_value(i.request_body or b"") for i in interactions if (i.evidence or {}).get("probe") == probe]


def probe_vcr(interactions: ProbeInteractions) -> vcr.VCR:
    recorder = vcr.VCR(serializer="quirks", record_mode="none", match_on=MATCH_ON, decode_compressed_response=True)
    recorder.register_serializer("quirks", SERIALIZER)
    recorder.register_persister(interactions)
    return recorder


def run_sdk_cell(entry: CatalogEntry, target: Target, settings: RunSettings, state: RunState) -> CellResult:
    """An SDK cell: replayed only (``state`` goes unused: SDK cells are never sent live)."""
    expectation = entry.cell(target)
    path = cassette_path(settings.cassette_dir, entry.quirk.id, target)
    client = sdk_client(target.id)
    result = new_result(entry, target, path, settings)
    if expectation.status == "n/a":
        return with_status(result, "n/a", expectation.reason)
    if settings.live:
        return with_status(result, "skipped", "SDK cells replay the REST cells' evidence; they are not recorded live")
    if not client.installed():
        return with_status(result, "skipped", f"the {client.package} SDK is not installed: {INSTALL_HINT}")
    if expectation.status == "pending":
        return with_status(result, "pending", expectation.reason)
    if not path.is_file():
        return with_status(result, "pending", f"no cassette yet at {result.cassette}")
    for probe in entry.quirk.probes:
        assert isinstance(probe, SdkProbe), f"{entry.quirk.id}: probe {probe.id} is not an SDK probe"
        result.probes.append(_run_probe(probe, target, client, expectation, path))
    conclude(result, expectation)
    attach_evidence(result, path, expectation)
    return result


register_cell_runner(SdkQuirk, run_sdk_cell)


def _run_probe(probe: SdkProbe, target: Target, client: SdkClient, cell: CellExpectation, path: Path) -> ProbeResult:
    built, call = probe.build(target), probe.call(target)
    expected = cell.probes.get(probe.id) or ProbeExpectation(probe.id, "pending", reason="no expectation yet")
    result = ProbeResult(probe=probe.id, workaround=probe.shows_workaround, status="pending", reason=expected.reason)
    if isinstance(built, NotApplicable) or call is None:
        result.status, result.reason = "n/a", built.reason if isinstance(built, NotApplicable) else None
        return result
    if expected.status != "checked":
        result.status = expected.status
        return result
    sdk = {"package": client.package, "version": client.version(), "client": client.client}
    loaded = ProbeInteractions(probe.id)
    with probe_vcr(loaded).use_cassette(str(path), allow_playback_repeats=True) as cassette:
        answers = AnswerLog(cassette, live=False)
        answers.start()
        observed = observe_call(lambda: call.run(client.build(), target.variant), sdk)
        answered = answers.answered()
        result.interaction = None if answered is None else loaded.positions[answered]
    asked = _evidence_bodies(path, probe.id)
    for sent in observed["sent"]:
        # The replayed answer was given to exactly this body, or (false) to a request that differs from it.
        sent["as_evidence"] = sent["answered"] and sent["body"] in asked
    result.observed = observed
    result.request = observed["sent"][0] if observed["sent"] else None
    result.since = expected.since.isoformat() if expected.since else None
    result.expected = expected.expect
    found = mismatches(expected.expect or {}, observed)
    result.mismatches = [f"{probe.id}: {m}" for m in found]
    result.status = "drift" if found else "holds"
    return result
