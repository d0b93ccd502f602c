"""Expectation files state a default per probe and, per target, only what differs.

A probe entry with ``since`` alone takes the default; one with ``expect`` replaces it whole. The
loaded file has the defaults resolved, and the dumper (``quirks fmt``, ``quirks accept``) writes an
``expect`` only where it differs from the default.
"""

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from provider_quirks.accept import accept
from provider_quirks.catalog import CatalogError, load_catalog
from provider_quirks.cli import main
from provider_quirks.expectations import dump_expectations, load_expectations
from provider_quirks.formats import Expectations, plain
from provider_quirks.results import CellResult, ProbeResult, Results
from provider_quirks.yamlio import load_yaml

#: Not named ``demo``: the catalog caches quirk modules by name, and other tests declare a ``demo``.
QUIRK_MODULE = """
from provider_quirks.quirk import Probe, Quirk, chat_with
QUIRK = Quirk(
    id="defaulted", title="Demo", category="test", summary="s", why_it_matters="w", workaround="k",
    targets=("openai@gpt-4o-mini", "openai@gpt-4o", "mistral@mistral-small-latest"),
    probes=(
        Probe(id="p", summary="s", build=chat_with({"openai-chat": {"n": 1}})),
        Probe(id="q", summary="s", build=chat_with({"openai-chat": {"n": 2}})),
    ),
)
"""

DEFAULTED = """
quirk: defaulted
defaults:
  p:
    expect:
      outcome: accepted
      status: 200
      choices: 1
cells:
  openai@gpt-4o-mini:
    evidence: reconstructed
    sources:
    - https://example.org/issue
    probes:
      p:
        since: 2025-01-01
      q:
        pending: no recording
  openai@gpt-4o:
    evidence: reconstructed
    sources:
    - https://example.org/issue
    probes:
      p:
        since: 2025-02-01
      q:
        pending: no recording
  mistral@mistral-small-latest:
    evidence: reconstructed
    sources:
    - https://example.org/issue
    probes:
      p:
        since: 2025-03-01
        expect:
          outcome: rejected
      q:
        pending: no recording
"""

DEFAULT_EXPECT = {"outcome": "accepted", "status": 200, "choices": 1}


def write_project(tmp_path: Path, expectations: str) -> Path:
    quirks = tmp_path / "quirks"
    quirks.mkdir()
    (quirks / "defaulted.py").write_text(QUIRK_MODULE)
    (quirks / "defaulted.yaml").write_text(textwrap.dedent(expectations).lstrip())
    return quirks


def load_error(quirks: Path) -> CatalogError:
    with pytest.raises(CatalogError) as error:
        load_catalog(quirks)
    return error.value


def test_a_since_only_entry_takes_the_default(tmp_path):
    (entry,) = load_catalog(write_project(tmp_path, DEFAULTED))
    probe = entry.expectations.cells["openai@gpt-4o"].probes["p"]
    assert (probe.status, probe.since, dict(probe.expect or {})) == ("checked", dt.date(2025, 2, 1), DEFAULT_EXPECT)


def test_an_explicit_expect_replaces_the_default_whole(tmp_path):
    (entry,) = load_catalog(write_project(tmp_path, DEFAULTED))
    assert entry.expectations.cells["mistral@mistral-small-latest"].probes["p"].expect == {"outcome": "rejected"}


def test_since_only_without_a_default_is_one_load_error_at_the_entry(tmp_path):
    quirks = write_project(
        tmp_path,
        DEFAULTED.replace(
            "      q:\n        pending: no recording\n  openai@gpt-4o:",
            "      q:\n        since: 2025-01-01\n  openai@gpt-4o:",
        ),
    )
    error = load_error(quirks)
    assert len(error.problems) == 1, str(error)
    assert str(error).endswith(
        "defaulted.yaml:16:7: cells.openai@gpt-4o-mini.probes.q: no expect, and defaults has no 'q' "
        "(write expect here, or defaults.q)"
    )


def test_a_default_for_an_unknown_probe_is_one_load_error_listing_the_probes(tmp_path):
    error = load_error(
        write_project(
            tmp_path, DEFAULTED.replace("defaults:\n  p:", "defaults:\n  r:\n    expect: {outcome: accepted}\n  p:")
        )
    )
    assert len(error.problems) == 1, str(error)
    assert str(error).endswith("defaulted.yaml:3:3: defaults.r: quirk defaulted has no such probe (probes: p, q)")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("      choices: 1\n", "      choises: 1\n"), "defaulted.yaml:7:7: defaults.p.expect.choises: "),
        (("      choices: 1\n", "      choices: {$near: 1}\n"), "defaults.p.expect.choices.$near: unknown operator"),
        (
            ("  p:\n    expect:\n", "  p:\n    since: 2025-01-01\n    expect:\n"),
            "defaulted.yaml:4:5: defaults.p.since: unknown key",
        ),
        (("defaults:\n  p:\n", "defaults:\n  p: 1\n  x:\n"), "defaults.p: expected a mapping"),
    ],
)
def test_a_default_is_checked_like_any_expectation_and_reported_once(tmp_path, change, message):
    error = load_error(write_project(tmp_path, DEFAULTED.replace(*change)))
    assert len(error.problems) == 1, str(error)
    assert message in str(error)


def test_the_dump_writes_defaults_first_and_expect_only_where_it_differs(tmp_path):
    """An expect written out but equal to the default is not canonical: ``quirks fmt`` drops it."""
    spelled_out = DEFAULTED.replace(
        "        since: 2025-02-01\n",
        "        since: 2025-02-01\n        expect:\n          choices: 1\n          outcome: accepted\n"
        "          status: 200\n",
    )
    quirks = write_project(tmp_path, spelled_out)
    canonical = textwrap.dedent(DEFAULTED).lstrip()
    assert dump_expectations(load_expectations(quirks / "defaulted.yaml")) == canonical
    assert main(["fmt", "--check", "--root", str(tmp_path)]) == 1
    assert main(["fmt", "--root", str(tmp_path)]) == 0
    assert (quirks / "defaulted.yaml").read_text() == canonical
    assert main(["fmt", "--check", "--root", str(tmp_path)]) == 0


def test_accept_writes_since_alone_when_the_new_expectation_is_the_default(tmp_path):
    quirks = write_project(tmp_path, DEFAULTED)
    (entry,) = load_catalog(quirks)
    observed = {"outcome": "accepted", "status": 200, "choices": 1, "finish_reason": None}
    drift = CellResult(
        quirk="defaulted",
        target="mistral@mistral-small-latest",
        provider="mistral",
        variant="mistral-small-latest",
        status="drift",
        evidence="reconstructed",
        probes=[ProbeResult("p", False, "drift", expected={"outcome": "rejected"}, observed=observed)],
    )
    accepted, skipped = accept(Results([drift]), [entry], today=dt.date(2026, 1, 2))
    assert ([a.new for a in accepted], skipped) == ([DEFAULT_EXPECT], [])
    text = (quirks / "defaulted.yaml").read_text()
    assert text == textwrap.dedent(DEFAULTED).lstrip().replace(
        "        since: 2025-03-01\n        expect:\n          outcome: rejected\n", "        since: 2026-01-02\n"
    )


def test_the_model_accepts_what_the_loader_accepts(tmp_path):
    """The published schema cannot see that a since-only entry has a default; the model checks it."""
    data = load_yaml(textwrap.dedent(DEFAULTED))
    Expectations.model_validate(plain(data))
    del data["defaults"]
    with pytest.raises(ValidationError, match=r"cells\.openai@gpt-4o-mini\.probes\.p: no expect, and defaults has no"):
        Expectations.model_validate(plain(data))
    data["cells"]["openai@gpt-4o"]["probes"]["p"]["expect"] = None
    with pytest.raises(ValidationError, match="leave it out to use the default"):
        Expectations.model_validate(plain(data))
