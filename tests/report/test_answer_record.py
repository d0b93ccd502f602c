"""Each probe's result names the cassette interaction that answered it; the report shows that one.

The index comes from vcrpy while the probe runs (``recording.AnswerLog``), never from matching
requests again afterwards: a second matcher once showed the answer of another probe of the cell
(a Gemini stream without ``alt=sse`` for the probe that sends it, an SDK probe's sibling).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from report_helpers import ROOT

from provider_quirks.cassette import load_cassette
from provider_quirks.results import read_results


def _body(raw: bytes | None) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return (raw or b"").decode("utf-8", errors="replace")


def test_every_answered_rest_probe_names_the_interaction_of_its_own_request(committed_results):
    checked = 0
    for cell in read_results(committed_results).cells:
        if cell.provider not in {"openai", "azure_openai", "mistral", "anthropic", "gemini", "openai_compatible"}:
            continue  # SDK cells send what their SDK builds; checked below
        for probe in cell.probes:
            if probe.observed is None:
                assert probe.interaction is None, (cell.quirk, cell.target, probe.probe)
                continue
            assert probe.interaction is not None, (cell.quirk, cell.target, probe.probe)
            answer = load_cassette(ROOT / str(cell.cassette)).interactions[probe.interaction]
            request = probe.request or {}
            uri = urlsplit(answer.uri)
            where = (cell.quirk, cell.target, probe.probe)
            assert (answer.method, uri.path.endswith(request["path"])) == (request["method"], True), where
            assert dict(parse_qsl(uri.query)) == dict(request.get("query") or {}), where
            sent = request.get("body")
            assert _body(answer.request_body) == (_body(sent.encode()) if isinstance(sent, str) else sent), where
            checked += 1
    assert checked >= 190  # every holding REST cell's answered probes (195 today)


def test_sdk_probes_name_an_interaction_of_their_own_probe(committed_results):
    checked = 0
    for cell in read_results(committed_results).cells:
        if "-sdk@" not in cell.target:
            continue
        for probe in cell.probes:
            if probe.interaction is None:
                continue
            answer = load_cassette(ROOT / str(cell.cassette)).interactions[probe.interaction]
            assert (answer.evidence or {}).get("probe") == probe.probe, (cell.quirk, cell.target, probe.probe)
            checked += 1
    assert checked >= 20


def test_the_report_shows_the_sse_answer_for_the_probe_that_asks_for_sse(report_dir):
    """Both Gemini probes send the same body; only the query (``alt=sse``) tells their answers apart."""
    detail = (report_dir / "quirks" / "stream-framing.md").read_text(encoding="utf-8")
    cell = detail.split("### stream-framing on gemini@gemini-2.5-flash")[1].split("\n### ")[0]
    default_stream, sse = cell.split("- probe `sse-everywhere`")
    assert "Source: <https://github.com/simonw/llm-gemini/" in default_stream.split("- probe `default-stream`")[1]
    assert "Source: <https://github.com/pydantic/pydantic-ai/" in sse and "llm-gemini" not in sse
