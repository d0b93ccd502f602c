"""What one live refresh of the whole catalog costs in tokens, against the 5,000-token goal.

No hosted provider can be called from here. Where a cell's cassette was recorded by this suite
(``metadata.evidence.level: recorded``) and holds the exact request a probe sends, the usage its
answer reports is what the request costs. A reconstructed cassette's usage is never counted: its
quoted answer came from the source's own request (another model, prompt or cap), and a live call
of the probe costs what the probe's request costs. Every other request is estimated, and the
estimator is checked in the same run against a measured baseline: the usage llama-server reported
in its recorded cassettes for the same requests.

Estimate per probe (what a live refresh sends: every applicable probe of every cell that is not
``n/a``), following OpenAI's documented way of counting chat tokens (a few tokens of overhead per
message, plus the text):
- nothing for a GET (listing models is not billed), when the expectation says the request is
  rejected (a refused request is not billed) or when the body is not JSON (it names no model and
  no prompt, so it is refused whether or not its answer is known yet);
- input: the prompt text (every string inside ``messages``, ``contents``, ``system``,
  ``systemInstruction``; tool definitions as their JSON) / 4 characters per token, plus
  ``TOKENS_PER_MESSAGE`` per turn and ``REPLY_PRIMING`` per request;
- output: the request's output cap (``max_tokens``, ``max_completion_tokens``,
  ``maxOutputTokens`` or Gemini's snake_case ``max_output_tokens``), or ``UNCAPPED_OUTPUT`` for
  the probes that deliberately send none;
  a cap above ``UNCAPPED_OUTPUT`` counts as ``UNCAPPED_OUTPUT`` (a two-word prompt is answered
  in a few tokens: the cap only limits it). Cells without an expectation count as accepted.

The baseline's tokenizer is the tiny model's byte-fallback vocabulary, which needs more tokens
per character than a real one: the calibration ratio printed below is an upper bound of the
estimator's error, not its exact error.

The floor: what the same refresh would cost if every request were the shortest billable one (a
single one-character turn, one output token) and a request repeated by several cells of a target
were sent once. It says whether any probe design can meet the goal for the catalog as it is: a
floor above the goal can only be met by sending fewer requests, that is by dropping hosted cells.

Run: ``python benchmarks/token_budget.py``. The last line is ``ratio_vs_goal: X.XX`` (estimated
tokens of a hosted refresh / 5,000).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from provider_quirks.cassette import load_cassette
from provider_quirks.catalog import CatalogEntry, cassette_path, load_catalog
from provider_quirks.observe import observe
from provider_quirks.sdk.quirk import SdkQuirk
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable, RawBody, WireRequest

ROOT = Path(__file__).resolve().parents[1]
GOAL_TOKENS = 5_000
CHARS_PER_TOKEN = 4
TOKENS_PER_MESSAGE = 4
REPLY_PRIMING = 3
PROMPT_KEYS = ("messages", "contents", "system", "systemInstruction", "system_instruction")
TOOL_KEYS = ("tools",)
UNCAPPED_OUTPUT = 32
#: The baseline: llama-server behind the OpenAI-compatible provider (local servers cost nothing otherwise).
BASELINE_PROVIDER = "openai_compatible"
#: The shortest billable chat request by OpenAI's documented count: 3 tokens per message, 1 for the role,
#: 1 for a one-character text, 3 priming the reply; plus 1 output token. Lower than the estimate above.
SHORTEST_BILLABLE = 3 + 1 + 1 + 3 + 1
CAP_FIELDS = ("max_tokens", "max_completion_tokens", "maxOutputTokens", "max_output_tokens")


def output_cap(body: Any) -> int | None:
    """The first output cap found anywhere in the body (Gemini nests it in generationConfig)."""
    if isinstance(body, Mapping):
        for key in CAP_FIELDS:
            if isinstance(body.get(key), int):
                return int(body[key])
        for value in body.values():
            found = output_cap(value)
            if found is not None:
                return found
    return None


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def prompt_tokens(body: Any) -> int:
    if not isinstance(body, Mapping):
        return math.ceil(len(str(body)) / CHARS_PER_TOKEN)
    chars = sum(len(text) for key in PROMPT_KEYS for text in strings(body.get(key)))
    chars += sum(len(json.dumps(body[key])) for key in TOOL_KEYS if key in body)
    turns = sum(len(body[key]) for key in ("messages", "contents") if isinstance(body.get(key), list))
    return math.ceil(chars / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * turns + REPLY_PRIMING


def estimate(request: WireRequest, rejected: bool) -> tuple[int, int]:
    if rejected or request.method != "POST" or isinstance(request.body, RawBody):
        return 0, 0  # a body that is not JSON names no model and no prompt: no server can run it
    tokens_in = prompt_tokens(request.body)
    cap = output_cap(request.body)
    return tokens_in, min(cap, UNCAPPED_OUTPUT) if cap is not None else UNCAPPED_OUTPUT


def probes_sent(entry: CatalogEntry, target: Target) -> Iterator[tuple[str, WireRequest, bool]]:
    """Each request a live refresh of this cell sends, and whether it is expected to be rejected."""
    cell = entry.cell(target)
    if cell.status == "n/a":
        return
    for probe in entry.quirk.probes:
        request = probe.build(target)
        if isinstance(request, NotApplicable):
            continue
        expectation = cell.probes.get(probe.id)
        expect = expectation.expect if expectation is not None and expectation.expect else {}
        yield probe.id, request, expect.get("outcome") == "rejected"


def body_key(body: Any) -> str:
    """Request bodies compared as JSON values, whatever their key order or spacing on the wire."""
    return json.dumps(body, sort_keys=True)


def measured_usage(entry: CatalogEntry, target: Target) -> dict[str, tuple[int, int]]:
    """Usage the cell's recorded cassette reports per request (plain or streamed answers), keyed by request body.

    Empty for a reconstructed cassette: its usage measured the source's request, not the probe's.
    """
    path = cassette_path(ROOT / "cassettes", entry.quirk.id, target)
    if not path.is_file():
        return {}
    cassette = load_cassette(path)
    if cassette.evidence.get("level") != "recorded":
        return {}
    usage = {}
    for interaction in cassette.interactions:
        try:
            sent = json.loads(interaction.request_body or b"null")
        except ValueError:
            continue  # a deliberately malformed request: estimated instead
        headers = {name: values[0] for name, values in interaction.response_headers.items() if values}
        found = observe(target.provider, interaction.status, headers, interaction.response_body, interaction.uri)
        counts = found.reading.usage
        if counts is not None and counts.input_tokens is not None:
            usage[body_key(sent)] = (counts.input_tokens, counts.output_tokens or 0)
    return usage


def main() -> None:
    entries = load_catalog(ROOT / "quirks")
    per_provider: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # requests, in, out, measured
    calibration = [0, 0, 0, 0]  # estimated in, measured in, estimated out, measured out
    billed: set[tuple[str, str, str, str]] = set()  # (target, method, path, body) of every request a refresh pays for
    for entry in entries:
        if isinstance(entry.quirk, SdkQuirk):
            continue  # SDK cells replay the REST cells' answers; a live refresh does not send them
        for target in entry.targets():
            measured = measured_usage(entry, target)
            for _, request, rejected in probes_sent(entry, target):
                tokens_in, tokens_out = estimate(request, rejected)
                key = None if isinstance(request.body, RawBody) else body_key(request.body)
                if not target.provider.key_required:  # a local server: free, and the baseline's source
                    baseline = target.provider.name == BASELINE_PROVIDER and target.variant.name == "llama-server"
                    if baseline and key in measured and not rejected:
                        real_in, real_out = measured[key]
                        calibration = [
                            calibration[0] + tokens_in,
                            calibration[1] + real_in,
                            calibration[2] + tokens_out,
                            calibration[3] + real_out,
                        ]
                    continue
                totals = per_provider[target.provider.name]
                if tokens_in:
                    billed.add((target.id, request.method, request.path, key or ""))
                if key in measured and not rejected:  # a recorded answer says what this request cost
                    tokens_in, tokens_out = measured[key]
                    totals[3] += 1
                totals[0] += 1
                totals[1] += tokens_in
                totals[2] += tokens_out
    print(f"{'provider':<17} {'requests':>8} {'measured':>8} {'input':>7} {'output':>7} {'total':>7}")
    grand = 0
    for provider, (requests, tokens_in, tokens_out, measured) in sorted(per_provider.items()):
        grand += tokens_in + tokens_out
        print(f"{provider:<17} {requests:>8} {measured:>8} {tokens_in:>7} {tokens_out:>7} {tokens_in + tokens_out:>7}")
    print(f"{'all hosted':<17} {sum(v[0] for v in per_provider.values()):>8} {'':>8} {'':>7} {'':>7} {grand:>7}")
    print("measured: requests counted with the usage their recorded answer reports (the rest are estimated)")
    print(f"goal: {GOAL_TOKENS} tokens per refresh (local servers cost nothing and are left out)")
    if calibration[1]:
        print(
            "baseline (llama-server, measured usage of the same requests in its recorded cassettes): "
            f"input estimate/measured {calibration[0] / calibration[1]:.2f}, "
            f"output estimate/measured {calibration[2] / max(calibration[3], 1):.2f}"
        )
    floor = len(billed) * SHORTEST_BILLABLE
    print(
        f"floor: {len(billed)} distinct billed requests x {SHORTEST_BILLABLE} tokens (the shortest billable request) "
        f"= {floor} tokens, {floor / GOAL_TOKENS:.2f} x the goal"
    )
    print(f"ratio_vs_goal: {grand / GOAL_TOKENS:.2f}")


if __name__ == "__main__":
    main()
