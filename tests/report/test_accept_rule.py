"""The rule `quirks accept` writes an expectation by (see provider_quirks.accept)."""

import pytest

from provider_quirks.accept import partial_expectation
from provider_quirks.matching import mismatches

REJECTED = {
    "provider": "mistral",
    "status": 400,
    "outcome": "rejected",
    "error": {
        "type": "invalid_request_message_order",
        "message": "Unexpected role 'user'",
        "param": None,
        "code": "3230",
    },
    "text": "",
    "usage": None,
    "choices": None,
    "finish_reason": None,
}
ACCEPTED = {
    "provider": "openai",
    "status": 200,
    "outcome": "accepted",
    "error": None,
    "text": "Hello! How can I help?",
    "usage": {"input_tokens": 8, "output_tokens": 8},
    "choices": 2,
    "finish_reason": "length",
    "stream": None,
}


def test_an_error_is_captured_by_status_type_and_named_field():
    assert partial_expectation(REJECTED, None) == {
        "outcome": "rejected",
        "status": 400,
        "error": {"type": "invalid_request_message_order"},
    }


def test_an_untyped_error_is_captured_by_its_message():
    untyped = {**REJECTED, "status": 404, "error": {"type": None, "message": "Not Found", "param": None, "code": None}}
    assert partial_expectation(untyped, None)["error"] == {"message": "Not Found"}


def test_an_accepted_answer_keeps_choices_and_finish_reason_never_text_or_usage():
    assert partial_expectation(ACCEPTED, None) == {
        "outcome": "accepted",
        "status": 200,
        "choices": 2,
        "finish_reason": {"$regex": "^(stop|length)$"},  # a re-record may end by itself, or at the cap
    }


@pytest.mark.parametrize(
    ("observed", "written"),
    [
        ("end_turn", {"$regex": "^(end_turn|max_tokens)$"}),
        ("MAX_TOKENS", {"$regex": "^(STOP|MAX_TOKENS)$"}),
        ("completed", {"$regex": "^(completed|incomplete)$"}),
        ("tool_calls", "tool_calls"),  # not a matter of the cap: the answer's form
    ],
)
def test_a_cap_dependent_finish_reason_is_accepted_as_its_pair(observed, written):
    assert partial_expectation({**ACCEPTED, "finish_reason": observed}, None)["finish_reason"] == written


def test_a_pinned_finish_reason_is_accepted_as_observed():
    """tool-call-shape pins it: 'stop' on a forced call is the quirk there."""
    assert (
        partial_expectation({**ACCEPTED, "finish_reason": "stop"}, None, pinned=("finish_reason",))["finish_reason"]
        == "stop"
    )


def test_tool_calls_are_captured_by_name_not_arguments():
    called = {**ACCEPTED, "tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}
    assert partial_expectation(called, None)["tool_calls"] == [{"name": "get_weather"}]


def test_what_the_old_expectation_checked_stays_checked():
    old = {"outcome": "rejected", "status": 422, "error": {"type": "extra_forbidden", "message": {"$contains": "role"}}}
    new = partial_expectation(REJECTED, old)
    assert new["status"] == 400
    assert new["error"] == {"type": "invalid_request_message_order", "message": {"$contains": "role"}}
    old["error"]["message"] = {"$contains": "Extra inputs"}
    assert partial_expectation(REJECTED, old)["error"]["message"] == "Unexpected role 'user'"


def test_an_answer_that_is_now_accepted_states_there_is_no_error():
    old = {"outcome": "rejected", "status": 400, "error": {"type": "invalid_request_error"}}
    new = partial_expectation(ACCEPTED, old)
    assert new["error"] is None and new["outcome"] == "accepted"


@pytest.mark.parametrize("observed", [REJECTED, ACCEPTED])
@pytest.mark.parametrize("old", [None, {"outcome": "accepted", "stream": {"done_sentinel": True}}])
def test_the_expectation_matches_its_own_observation(observed, old):
    assert mismatches(partial_expectation(observed, old), observed) == []
