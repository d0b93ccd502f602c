"""A contributor's mistake is one clear line, at load, never a ``drift``.

Each test works on a copy of the project (some quirk modules, all cassettes) and makes one kind of
mistake a newcomer makes: a misspelt key, missing or unknown entries, a broken cassette, a
cassette whose evidence disagrees with its expectation file, a results file naming what the
catalog lacks. The committed ``quirks/`` and ``cassettes/`` are never changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from provider_quirks.cassette import load_cassette
from provider_quirks.catalog import CatalogError, load_catalog, load_entry
from provider_quirks.observe import observe
from provider_quirks.observed_fields import REST_SHAPE
from provider_quirks.providers import PROVIDERS
from provider_quirks.results import CellResult, ProbeResult, write_results
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.sdk.clients import INSTALL_HINT
from provider_quirks.sdk.quirk import SDK_SHAPE
from provider_quirks.yamlio import dump_yaml, load_yaml

ROOT = Path(__file__).resolve().parents[1]
PYTEST_INI = "[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest -p no:randomly\n"


def typo(root: Path) -> str:
    """Make the issue's typo (the first ``outcome: rejected`` becomes ``outcom``); the line it must give."""
    path = root / "quirks" / "api_version.yaml"
    edit(path, "outcome: rejected", "outcom: rejected")
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "outcom: rejected" in line)

    def enclosing(indent: int) -> str:
        """The key at ``indent`` spaces that the typo sits under."""
        above = reversed(lines[:number])
        return next(line.strip(" :") for line in above if len(line) - len(line.lstrip(" ")) == indent)

    target, probe = enclosing(2), enclosing(6)
    column = lines[number - 1].index("outcom") + 1
    return (
        f"quirks/api_version.yaml:{number}:{column}: cells.{target}.probes.{probe}.expect.outcom: "
        "unknown field 'outcom' (did you mean 'outcome'?)"
    )


def make_project(root: Path, *modules: str) -> Path:
    """``quirks/<module>.py`` and ``.yaml`` for each module, every cassette, and pytest settings."""
    (root / "quirks").mkdir(parents=True)
    for module in modules:
        for suffix in (".py", ".yaml"):
            shutil.copy(ROOT / "quirks" / f"{module}{suffix}", root / "quirks" / f"{module}{suffix}")
    shutil.copytree(ROOT / "cassettes", root / "cassettes")
    (root / "pytest.ini").write_text(PYTEST_INI)
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=root, capture_output=True, text=True, check=False)


def quirks(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(root, "provider_quirks.cli", *args)


def problem_lines(error: pytest.ExceptionInfo[CatalogError]) -> list[str]:
    return str(error.value).splitlines()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # problems name files relative to the current folder
    return make_project(tmp_path, "api_version", "null_values", "sdk_retries")


# --- the typo from the issue -------------------------------------------------------------------


def test_a_misspelt_key_is_one_load_error_naming_file_target_probe_and_key(project):
    line = typo(project)
    assert "cells.azure_openai@2024-06-01.probes.version-missing.expect.outcom" in line
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    assert problem_lines(error) == [line]


def test_under_pytest_the_typo_fails_the_run_at_load_and_other_quirks_still_run(project):
    line = typo(project)
    done = run(project, "pytest", "quirks", "--quirks-results=.quirks/results.json", "-q")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert line in output.splitlines()
    assert "drift" not in output
    assert "FAILED quirks/api_version.py::load-errors" in output
    assert "error during collection" not in output and "Interrupted" not in output
    cells = json.loads((project / ".quirks" / "results.json").read_text())["cells"]
    assert {cell["quirk"] for cell in cells} == {"null-values", "sdk-retries"}  # the unrelated quirks ran
    assert sum(cell["status"] == "holds" for cell in cells if cell["quirk"] == "null-values") >= 4
    assert not [cell for cell in cells if cell["status"] == "drift"]
    selected = run(project, "pytest", "quirks", "-q", "-k", "azure_openai")  # a provider of the broken quirk
    assert selected.returncode == 1 and "FAILED quirks/api_version.py::load-errors" in selected.stdout


def test_every_misspelt_key_is_its_own_line(project):
    edit(project / "quirks" / "api_version.yaml", "outcome: rejected", "outcom: rejected", count=4)
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    lines = problem_lines(error)
    assert len(lines) == 4
    assert all("unknown field 'outcom' (did you mean 'outcome'?)" in line for line in lines)
    assert len({line.split(": ")[0] for line in lines}) == 4  # four places: file:line:column each


def test_the_quirks_command_reports_every_broken_file_one_line_per_problem(project):
    line = typo(project)
    edit(project / "quirks" / "null_values.yaml", "  gemini@gemini-2.5-flash:", "  gemini@gemini-9:")
    done = quirks(project, "list")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == "quirks list: 2 problems in the catalog:"
    assert lines[1] == line
    assert lines[2].startswith("quirks/null_values.yaml:") and "cells.gemini@gemini-9: not a target" in lines[2]
    assert len(lines) == 3


# --- every problem of a file in one report ----------------------------------------------------


def test_a_target_the_file_does_not_list_is_pending_and_says_where_to_add_it(project):
    """A new provider's cells start out pending, without an edit to any quirk file (issue 13)."""
    path = project / "quirks" / "null_values.yaml"
    data = load_yaml(path.read_text())
    removed = list(data["cells"])[:3]
    for target in removed:
        del data["cells"][target]
    path.write_text(dump_yaml(data))
    (entry,) = [e for e in load_catalog(project / "quirks") if e.quirk.id == "null-values"]
    for target in (t for t in entry.targets() if t.id in removed):
        cell = entry.cell(target)
        assert (cell.status, cell.reason) == ("pending", f"no evidence yet: {target.id} is not in null_values.yaml")


def test_a_key_written_twice_is_named_with_both_lines(project):
    path = project / "quirks" / "api_version.yaml"
    path.write_text(path.read_text() + "  openai@gpt-4o-mini:\n    n/a: written again\n")
    last = len(path.read_text().splitlines()) - 1
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    (line,) = problem_lines(error)
    assert line == (
        f"quirks/api_version.yaml:{last}:3: cells.openai@gpt-4o-mini: written twice (lines 3 and {last}); "
        "only the last would count"
    )


def test_an_unknown_target_lists_the_valid_targets(project):
    edit(project / "quirks" / "api_version.yaml", "  mistral@mistral-small-latest:", "  mistral@mistral-large:")
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    unknown = next(line for line in problem_lines(error) if "mistral-large" in line)
    assert "cells.mistral@mistral-large: not a target of quirk api-version (targets: openai@gpt-4o-mini," in unknown


def test_an_unknown_probe_lists_the_valid_probe_ids(project):
    edit(project / "quirks" / "api_version.yaml", "      version-invalid:", "      version-invalidd:")
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    lines = problem_lines(error)
    assert any(
        "probes.version-invalidd: quirk api-version has no such probe "
        "(probes: version-missing, version-invalid, version-as-documented)" in line
        for line in lines
    )
    assert any("probes: missing version-invalid (write expect" in line for line in lines)


#: (the line as committed, the line as mistyped, what the one problem line says)
FIELD_MISTAKES = {
    "nested-field": (
        "            type: invalid_request_error",
        "            typ: invalid_request_error",
        "expect.error.typ: unknown field 'typ' (did you mean 'type'?)",
    ),
    "operator": (
        "              $contains: The server",
        "              $contain: The server",
        "unknown operator '$contain' (did you mean '$contains'?)",
    ),
    "rest-field-in-an-sdk-expectation": (
        "          outcome: raised",
        "          outcome: raised\n          status: 500",
        "expect.status: unknown field 'status'",
    ),
    "list-item-field": (
        "          - answered: true",
        "          - answerd: true",
        "expect.sent[0].answerd: unknown field 'answerd' (did you mean 'answered'?)",
    ),
    "operator-and-field": (
        "          outcome: raised",
        "          outcome:\n            $present: true\n            kind: x",
        "operators ['$present'] and fields cannot share a mapping",
    ),
}


@pytest.mark.parametrize(("old", "new", "expected"), FIELD_MISTAKES.values(), ids=FIELD_MISTAKES)
def test_fields_and_operators_are_those_of_the_observation(project, old, new, expected):
    files = [project / "quirks" / name for name in ("api_version.yaml", "sdk_retries.yaml")]
    path = next(path for path in files if old in path.read_text())
    edit(path, old, new)
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    (line,) = problem_lines(error)
    assert line.startswith(f"quirks/{path.name}:") and expected in line


def test_free_values_take_any_keys(project):
    """Headers, tool arguments and an SDK call's own result are the provider's or the probe's keys."""
    headers = "          headers: {x-any-header: value}\n"
    edit(project / "quirks" / "api_version.yaml", "          status: 404\n", "          status: 404\n" + headers)
    result = "          result: {any_probe_fact: 1}\n"
    edit(project / "quirks" / "sdk_retries.yaml", "          requests: 1\n", "          requests: 1\n" + result)
    assert len(load_catalog(project / "quirks")) == 3


def test_the_allowed_fields_are_those_the_code_produces():
    """REST: every key ``Observation.to_json`` writes; SDK: every key an SDK cell observes."""
    cassette = load_cassette(ROOT / "cassettes" / "null-values" / "anthropic@claude-haiku-4-5.yaml")
    interaction = cassette.interactions[0]
    headers = {name: values[0] for name, values in interaction.response_headers.items()}
    observed = observe(PROVIDERS["anthropic"], interaction.status, headers, interaction.response_body, interaction.uri)
    assert set(REST_SHAPE) == set(observed.to_json())
    assert set(REST_SHAPE["error"] or {}) == set(observed.to_json()["error"])
    pytest.importorskip("openai", reason=INSTALL_HINT)
    entry = load_entry(ROOT / "quirks" / "sdk_retries.py")
    target = entry.quirk.resolve("openai-sdk@OpenAI")
    result = run_cell(entry, target, RunSettings(live=False, cassette_dir=ROOT / "cassettes", root=ROOT))
    observations = [probe.observed for probe in result.probes if probe.observed]
    assert observations and any(o["raised"] for o in observations)
    for observation in observations:
        assert set(observation) == set(SDK_SHAPE)
        assert set(observation["raised"] or {}) <= set(SDK_SHAPE["raised"] or {})
        for sent in observation["sent"]:
            assert set(sent) == set(SDK_SHAPE["sent"] or {})


# --- cassettes --------------------------------------------------------------------------------


def test_a_cassette_that_is_not_yaml_is_one_line_under_pytest_and_the_command(project):
    cassette = project / "cassettes" / "null-values" / "mistral@mistral-small-latest.yaml"
    cassette.write_text(cassette.read_text() + "metadata:\n  evidence: [unclosed\n")
    line_count = len(cassette.read_text().splitlines())
    expected = f"cassettes/null-values/mistral@mistral-small-latest.yaml:{line_count + 1}:1: not valid YAML:"
    done = run(project, "pytest", "quirks", "-q")
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert [line for line in output.splitlines() if line.startswith(expected)], output
    assert "Traceback" not in output and "yaml.parser" not in output and "pluggy" not in output
    assert "FAILED quirks/null_values.py::load-errors" in output
    listed = quirks(project, "list")
    assert listed.returncode == 2
    assert listed.stderr.startswith(f"quirks list: {expected}") and len(listed.stderr.splitlines()) == 1


def test_evidence_level_must_agree_with_the_cassette(project):
    cassette = project / "cassettes" / "null-values" / "mistral@mistral-small-latest.yaml"
    edit(cassette, "    level: reconstructed", "    level: recorded")
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    (line,) = problem_lines(error)
    assert line.startswith("quirks/null_values.yaml:")
    assert "cells.mistral@mistral-small-latest.evidence: 'reconstructed', but " in line
    assert "cassettes/null-values/mistral@mistral-small-latest.yaml holds 'recorded' evidence" in line


def test_every_source_a_cassette_quotes_is_cited_by_the_cell(project):
    path = project / "quirks" / "null_values.yaml"
    data = load_yaml(path.read_text())
    cell = data["cells"]["mistral@mistral-small-latest"]
    dropped = cell["sources"].pop(0)
    cell["sources"] = cell["sources"] or ["https://example.org/another-source"]
    path.write_text(dump_yaml(data))
    with pytest.raises(CatalogError) as error:
        load_catalog(project / "quirks")
    (line,) = problem_lines(error)
    assert "cells.mistral@mistral-small-latest.sources: cassettes/null-values/mistral@mistral-small-latest.yaml" in line
    assert line.endswith(f"quotes {dropped}, which is not listed here")


def test_a_live_run_does_not_check_the_cassettes_it_is_about_to_rewrite(project):
    cassette = project / "cassettes" / "null-values" / "mistral@mistral-small-latest.yaml"
    cassette.write_text("interactions: [unclosed\n")
    with pytest.raises(CatalogError):
        load_entry(project / "quirks" / "null_values.py")
    assert load_entry(project / "quirks" / "null_values.py", check_cassettes=False)


# --- quirks accept ------------------------------------------------------------------------------


def drifted_cell(quirk: str, target: str, probe: str, expected: dict) -> CellResult:
    provider, _, variant = target.partition("@")
    observed = {"outcome": "rejected", "status": 409}
    probe_result = ProbeResult(probe, False, "drift", expected=expected, observed=observed)
    return CellResult(quirk, target, provider, variant, "drift", evidence="reconstructed", probes=[probe_result])


def test_accept_refuses_results_naming_what_the_catalog_lacks(project):
    expectations = (project / "quirks" / "null_values.yaml").read_text()
    results = project / "results.json"
    cells = [
        drifted_cell("null-values", "mistral@mistral-small-latest", "no-such-probe", {"outcome": "rejected"}),
        drifted_cell("null-values", "mistral@mistral-large", "null-known-fields", {"outcome": "rejected"}),
        drifted_cell("no-such-quirk", "mistral@mistral-small-latest", "p", {"outcome": "rejected"}),
    ]
    write_results(results, cells, mode="live")
    done = quirks(project, "accept", str(results))
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 3, done.stderr
    expected = [
        "null-values[mistral@mistral-small-latest]: no probe 'no-such-probe' (probes: null-stream-options,",
        "null-values[mistral@mistral-large]: not a target of the quirk (targets: openai@gpt-4o-mini,",
        "quirk 'no-such-quirk' is not in the catalog (quirks: api-version, null-values, sdk-retries)",
    ]
    assert all(sum(text in line for line in lines) == 1 for text in expected), done.stderr
    assert all(str(results) in line for line in lines)
    assert (project / "quirks" / "null_values.yaml").read_text() == expectations


def test_accept_exits_non_zero_when_it_leaves_a_probe_unchanged(project):
    results = project / "results.json"
    stale = drifted_cell("null-values", "mistral@mistral-small-latest", "null-known-fields", {"outcome": "gone"})
    write_results(results, [stale], mode="live")
    done = quirks(project, "accept", str(results))
    assert done.returncode == 1, done.stderr
    assert "not changed: null-values[mistral@mistral-small-latest] probe null-known-fields" in done.stdout


# --- quirks reconstruct -------------------------------------------------------------------------


def test_reconstruct_prints_the_expectation_to_paste_and_the_cell_then_holds(project):
    """The printed block, pasted as printed in place of the pending cell, loads, is canonical and holds."""
    quoted = load_cassette(project / "cassettes" / "unknown-params" / "gemini@gemini-2.5-flash.yaml")
    answer = next(i for i in quoted.interactions if i.status == 400)
    body = project / "quoted.json"
    body.write_bytes(answer.response_body)
    source = str(answer.evidence["source"]) if answer.evidence else "https://example.org/quoted"
    target = "gemini@gemini-2.5-flash"
    done = quirks(
        project, "reconstruct", "null-values", target, "nulls-omitted", "--status", "400", "--body", str(body),
        "--source", source, "--source-date", "2025-06-01", "--note", "a Gemini 400 body, quoted for this test",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"wrote cassettes/null-values/{target}.yaml"
    start = lines.index(f"replace cells.{target} (pending) in quirks/null_values.yaml with:") + 1
    block = [line for line in lines[start:] if line.startswith("  ")]
    assert lines[-1] == "next: quirks fmt --check && pytest quirks/null_values.py -k gemini"
    assert "outcome: rejected" in "\n".join(block) and "status: 400" in "\n".join(block)
    path = project / "quirks" / "null_values.yaml"
    text = path.read_text().splitlines()
    at = text.index(f"  {target}:")
    assert text[at + 1].startswith("    pending:")
    path.write_text("\n".join([*text[:at], *block, *text[at + 2 :]]) + "\n")
    assert quirks(project, "fmt", "--check").returncode == 0
    replay = run(project, "pytest", "quirks/null_values.py", "-k", "gemini", "--quirks-results=.quirks/r.json")
    assert replay.returncode == 0, replay.stdout
    (cell,) = json.loads((project / ".quirks" / "r.json").read_text())["cells"]
    assert (cell["target"], cell["status"], cell["evidence"]) == (target, "holds", "reconstructed")
