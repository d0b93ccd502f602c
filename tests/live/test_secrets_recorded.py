"""No key leaves the machine: record against the stand-in with a generated key in every position.

The key is sent in the auth header, in the query (``key=`` and another parameter), in the body,
and the stand-in echoes it back in a response header, a cookie, the body and an error message
(like OpenAI's "Incorrect API key provided: sk-…"). Neither the cassette nor the results may
contain it.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from standin import Behaviour, StandIn

from provider_quirks.catalog import CatalogEntry
from provider_quirks.expectations import CellExpectation, ExpectationFile, ProbeExpectation
from provider_quirks.providers import PROVIDERS
from provider_quirks.quirk import Probe, Quirk
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.scrub import find_secrets
from provider_quirks.targets import Target
from provider_quirks.wire import WireRequest

KEY_ALPHABET = string.ascii_letters + string.digits + "_-"
keys = st.tuples(
    st.sampled_from(["", "sk-", "sk-proj-", "sk-ant-api03-", "AIza"]),
    # A real key mixes letters and digits: without a digit, hypothesis finds words such as
    # "generationConfig" that the request itself legitimately contains.
    st.text(KEY_ALPHABET, min_size=16, max_size=48).filter(lambda text: any(c.isdigit() for c in text)),
).map("".join)


def with_key_everywhere(key: str, extra: bool) -> Probe:
    def build(target: Target) -> WireRequest:
        request = target.provider.minimal_chat(target.variant)
        fields: dict[str, object] = {"metadata": {"note": f"called with {key}"}}
        if extra:
            fields["extra"] = key  # the stand-in rejects it, echoing the key in the error message
        return request.with_fields(fields).with_query({"key": key, "trace": key})

    return Probe("extra" if extra else "echo", "the key in every position", build=build)


def quirk_entry(target: Target, key: str, expect_auth_failure: bool, folder: Path) -> CatalogEntry:
    probes = (with_key_everywhere(key, extra=False), with_key_everywhere(key, extra=True))
    quirk = Quirk(
        id="secrets",
        title="t",
        category="c",
        summary="s",
        why_it_matters="w",
        workaround="w",
        probes=probes,
        targets=(target.id,),
    )
    expected = {
        p.id: ProbeExpectation(p.id, "checked", expect={"status": 401})
        if expect_auth_failure
        else ProbeExpectation(p.id, "pending", reason="recorded for review")
        for p in probes
    }
    cell = CellExpectation(target.id, "checked", evidence="recorded", probes=expected)
    return CatalogEntry(
        quirk, folder / "secrets.py", ExpectationFile(folder / "secrets.yaml", quirk.id, {target.id: cell})
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(provider=st.sampled_from(sorted(PROVIDERS)), key=keys, wrong_key=st.booleans())
def test_no_generated_key_reaches_a_cassette_or_the_results(stand_in: StandIn, tmp_path, provider, key, wrong_key):
    folder = tmp_path / f"run-{len(stand_in.seen)}"
    stand_in.behaviour[provider] = Behaviour(
        rejected={"extra"}, echo_key=True, key="expected-but-not-this-one" if wrong_key else None
    )
    target = Target(PROVIDERS[provider], PROVIDERS[provider].variants[0])
    live = RunSettings(
        live=True,
        cassette_dir=folder / "cassettes",
        root=folder,
        environ=stand_in.environ({provider: key}),
        selected=frozenset({target.id}),  # one target per provider, as a base URL in the environment requires
    )
    result = run_cell(quirk_entry(target, key, wrong_key, folder), target, live)

    sent = stand_in.requests_of(provider)[-1]
    assert key in sent.path and key in json.dumps(sent.body) and key in " ".join(sent.headers.values())
    (cassette,) = (folder / "cassettes").rglob("*.yaml")  # recorded, with the key echoed back
    text = cassette.read_text()
    assert key not in text
    assert find_secrets(text) == []
    assert "set-cookie" not in text and "x-echo-key" not in text
    assert key not in json.dumps(result.to_json())
