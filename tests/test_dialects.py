"""The dialect layer: each dialect's minimal request is made of its own parts, providers state only overrides.

Quirks combine a dialect's parts (``conversation``, ``limit_output``, ``stream``…) with its minimal
request, so the parts must write what the minimal request writes; cassette matching then proves the
bytes. The quoted requests of tool-call-shape are data, so their shape is checked here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from provider_quirks.catalog import load_module_quirk
from provider_quirks.dialects import DIALECTS, PROMPT, Tool, WireDialect
from provider_quirks.providers import PROVIDERS, Variant
from provider_quirks.streaming import read_stream

ROOT = Path(__file__).resolve().parents[1]
VARIANT = Variant("model-a", "model-a")


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS)
def test_the_minimal_request_is_one_user_turn_and_the_cap(dialect: WireDialect) -> None:
    request = dialect.minimal_request(VARIANT)
    parts = {**dialect.conversation([("user", PROMPT)]), **dialect.limit_output(dialect.minimal_cap())}
    assert {key: request.body[key] for key in parts} == parts
    assert request.with_fields(parts) == request


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS)
def test_streaming_changes_the_request_and_an_empty_stream_reads_as_cut(dialect: WireDialect) -> None:
    request = dialect.minimal_request(VARIANT)
    assert dialect.stream(request) != request
    reading = read_stream(dialect, b"", "text/event-stream")
    assert reading.stream is not None and reading.stream.truncated


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS)
def test_a_tool_is_declared_under_its_name_and_forced_by_it(dialect: WireDialect) -> None:
    declared = str(dialect.declare_tools([Tool("first_tool"), Tool("second_tool", "d", {"type": "object"})]))
    assert declared.index("first_tool") < declared.index("second_tool")
    assert "second_tool" in str(dialect.force_tool("second_tool"))


def test_providers_override_only_what_differs() -> None:
    assert PROVIDERS["openai"].envelopes == PROVIDERS["openai"].dialect.envelopes
    assert PROVIDERS["mistral"].envelopes != PROVIDERS["mistral"].dialect.envelopes
    dated = PROVIDERS["azure_openai"].minimal_chat(Variant("d", "dep", api_version="2024-10-21"))
    assert dated.path == "/openai/deployments/dep/chat/completions" and "model" not in dated.body
    assert dated.query == (("api-version", "2024-10-21"),)
    local = PROVIDERS["openai_compatible"].minimal_chat(VARIANT)
    assert local.body == {**PROVIDERS["openai"].minimal_chat(VARIANT).body, "temperature": 0}


def test_quoted_tool_requests_name_probes_and_targets_of_the_quirk() -> None:
    """A typo in the data file would send the suite's own request instead of the quoted one."""
    quirk = load_module_quirk(ROOT / "quirks" / "tool_call_shape.py")
    quoted = sys.modules["provider_quirks_catalog.tool_call_shape"].QUOTED_REQUESTS
    assert quoted.keys() <= {probe.id for probe in quirk.probes}
    for targets in quoted.values():
        assert targets.keys() <= set(quirk.targets)
        assert all("set" in quote and quote.keys() <= {"set", "remove"} for quote in targets.values())
