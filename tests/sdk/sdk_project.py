"""A synthetic SDK quirk project in a temporary folder: one openai-sdk cell and its cassette.

The answers are test fixtures, not evidence: they exercise the mechanism, like tests/live's
stand-in server.
"""

import json
import textwrap
from pathlib import Path

from provider_quirks.catalog import load_entry
from provider_quirks.results import CellResult
from provider_quirks.runner import RunSettings, run_cell
from provider_quirks.yamlio import dump_yaml

TARGET = "openai-sdk@OpenAI"
ANSWER = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 0,
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi!"}, "finish_reason": "stop"}],
}
MODULE = """
from provider_quirks.sdk.calls import openai_chat
from provider_quirks.sdk.observe import path_value
from provider_quirks.sdk.quirk import SdkCall, SdkQuirk, sdk_probe


def read(client, variant):
    answer = openai_chat(client, variant, stream_options=None)
    return {
        "finish_reason": path_value(answer, "choices.0.finish_reason"),
        "text": path_value(answer, "choices.0.message.content"),
    }


QUIRK = SdkQuirk(
    id="sdk-synthetic",
    title="synthetic",
    category="sdk",
    summary="s",
    why_it_matters="w",
    workaround="w",
    targets=("openai-sdk@OpenAI",),
    probes=(sdk_probe("call", "the minimal call", {"openai-sdk": SdkCall(read)}, "no call", shows_workaround=True),),
)
"""
EXPECTATIONS = """
quirk: sdk-synthetic
cells:
  openai-sdk@OpenAI:
    evidence: reconstructed
    sources: [https://example.invalid/fixture]
    probes:
      call:
        since: 2026-11-26
        expect:
          requests: 1
          sent: [{path: /v1/chat/completions, body: {stream_options: null}, as_evidence: true}]
          outcome: returned
          result: {finish_reason: stop, text: Hi!}
"""
REQUEST_BODY = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say hi"}],
    "max_tokens": 8,
    "stream_options": None,
}


def write_project(root: Path, status: int = 200, answer: dict | None = None, probe: str = "call") -> Path:
    (root / "quirks").mkdir(exist_ok=True)
    (root / "quirks" / "sdk_synthetic.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    (root / "quirks" / "sdk_synthetic.yaml").write_text(EXPECTATIONS, encoding="utf-8")
    interaction = {
        "request": {
            "method": "POST",
            "uri": "https://api.openai.com/v1/chat/completions",
            "body": {"json": REQUEST_BODY},
            "headers": {"content-type": ["application/json"]},
        },
        "response": {
            "status": {"code": status, "message": ""},
            "headers": {"content-type": ["application/json"]},
            "body": {"string": json.dumps(answer if answer is not None else ANSWER)},
        },
        "evidence": {"probe": probe, "source": "https://example.invalid/fixture", "date": "2026-11-26"},
    }
    cassette = {
        "metadata": {"evidence": {"level": "reconstructed", "sources": [{"url": "https://example.invalid/fixture"}]}},
        "interactions": [interaction],
        "version": 1,
    }
    path = root / "cassettes" / "sdk-synthetic" / f"{TARGET}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_yaml(cassette), encoding="utf-8")
    return root / "quirks" / "sdk_synthetic.py"


def run(root: Path, live: bool = False) -> CellResult:
    entry = load_entry(root / "quirks" / "sdk_synthetic.py")
    settings = RunSettings(live=live, cassette_dir=root / "cassettes", root=root)
    return run_cell(entry, entry.targets()[0], settings)
