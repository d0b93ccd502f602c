"""The probes of output-limit-minimum and unsupported-params send what their summaries say.

Cassette matching proves the bytes of the recorded cells; most hosted cells of these quirks are
pending, so their requests are checked here: each probe changes only the field that is the quirk,
in each wire format's own words, and stays off the APIs it does not apply to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from provider_quirks.catalog import load_module_quirk
from provider_quirks.providers import PROVIDERS
from provider_quirks.targets import resolve_target
from provider_quirks.wire import NotApplicable, WireRequest

QUIRKS = Path(__file__).resolve().parents[1] / "quirks"
OUTPUT_LIMIT = load_module_quirk(QUIRKS / "output_limit_minimum.py")
UNSUPPORTED = load_module_quirk(QUIRKS / "unsupported_params.py")


def body_of(quirk: Any, probe: str, target_id: str) -> dict[str, Any]:
    built = quirk.probe(probe).build(resolve_target(target_id))
    assert isinstance(built, WireRequest), f"{probe} is not applicable on {target_id}: {built}"
    return dict(built.body)


def minimal_body(target_id: str) -> dict[str, Any]:
    target = resolve_target(target_id)
    return dict(target.provider.minimal_chat(target.variant).body)


@pytest.mark.parametrize(("probe", "cap"), [("cap-of-zero", 0), ("cap-of-one", 1), ("cap-of-sixteen", 16)])
def test_each_cap_is_written_in_the_wire_formats_own_field(probe: str, cap: int) -> None:
    assert body_of(OUTPUT_LIMIT, probe, "openai@gpt-4o-mini")["max_tokens"] == cap
    assert body_of(OUTPUT_LIMIT, probe, "anthropic@claude-haiku-4-5")["max_tokens"] == cap
    assert body_of(OUTPUT_LIMIT, probe, "gemini@gemini-2.5-flash")["generationConfig"] == {"maxOutputTokens": cap}


@pytest.mark.parametrize(
    ("probe", "fields"),
    [
        ("logprobs", {"logprobs"}),
        ("logit-bias", {"logit_bias"}),
        ("n", {"n"}),
        ("seed", {"seed"}),
        ("parallel-tool-calls", {"tools", "parallel_tool_calls"}),
        ("response-format", {"response_format"}),
    ],
)
def test_each_parameter_probe_adds_only_its_field_on_openai_style_apis(probe: str, fields: set[str]) -> None:
    for target_id in ("openai@gpt-4o-mini", "mistral@mistral-small-latest", "openai_compatible@llama-server"):
        body, minimal = body_of(UNSUPPORTED, probe, target_id), minimal_body(target_id)
        changed = {key for key in body.keys() | minimal.keys() if body.get(key) != minimal.get(key)}
        assert changed - {"messages"} == fields, (probe, target_id)


def test_parameter_probes_stay_off_the_native_apis_and_the_routing_option_is_openrouters() -> None:
    for probe in UNSUPPORTED.probes:
        for target_id in ("anthropic@claude-haiku-4-5", "gemini@gemini-2.5-flash"):
            assert isinstance(probe.build(resolve_target(target_id)), NotApplicable), (probe.id, target_id)
    routed = UNSUPPORTED.probe("require-parameters")
    assert isinstance(routed.build(resolve_target("openai@gpt-4o-mini")), NotApplicable)
    openrouter = PROVIDERS["openrouter"].core_targets()[0]
    assert body_of(UNSUPPORTED, "require-parameters", openrouter)["provider"] == {"require_parameters": True}
