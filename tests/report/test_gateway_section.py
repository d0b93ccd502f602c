"""QUIRKS.md says what LiteLLM changes, compared with the same llama-server answering directly."""

from provider_quirks.report.gateway import answer_form

ANSWER = {
    "outcome": "accepted",
    "status": 200,
    "error": None,
    "text": "Hello",
    "usage": {"input_tokens": 34, "output_tokens": 8},
    "finish_reason": "length",
    "tool_calls": [],
    "stream": None,
}


def test_sample_values_are_not_a_difference():
    other_sample = {**ANSWER, "text": "Hi there", "usage": {"input_tokens": 40, "output_tokens": 2}}
    assert answer_form(other_sample) == answer_form(ANSWER)
    assert answer_form({**ANSWER, "status": 400, "outcome": "rejected"}) != answer_form(ANSWER)


def test_the_report_names_what_the_gateway_changes(report_dir):
    markdown = (report_dir / "QUIRKS.md").read_text(encoding="utf-8")
    section = markdown.split("## What the gateway changes", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- **")]
    # llama-server answers malformed JSON with a 500; LiteLLM in front of it with a 400 (all three APIs).
    malformed = [line for line in lines if "(malformed-json" in line]
    assert len(malformed) == 3 and all("status 500 → 400" in line for line in malformed)
    # The Responses stream through LiteLLM: data-only events, ended by [DONE].
    assert any(
        line.startswith("- **Responses-compatible servers**: [DONE] False → True; SSE event names True → False")
        for line in lines
    )
