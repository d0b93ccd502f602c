"""Recording keeps the rate-limit headers (the rate-limit-headers quirk reads them) and still drops the rest."""

from provider_quirks.observe import observe
from provider_quirks.providers import PROVIDERS
from provider_quirks.recording import scrub_response_hook

RATE_LIMIT = {
    "x-ratelimit-remaining-requests": ["59"],
    "X-RateLimit-Reset-Tokens": ["6m0s"],
    "anthropic-ratelimit-input-tokens-remaining": ["39000"],
    "ratelimit-policy": ['"default";q=100;w=60'],
    "retry-after": ["20"],
}
DROPPED = {
    "openai-organization": ["org-AbCdEfGhIjKlMnOp"],
    "set-cookie": ["__cf_bm=abc"],
    "x-request-id": ["req_123"],
    "openai-processing-ms": ["120"],
    "x-ratelimit": ["5"],
    "x-ratelimitless": ["5"],
}


def _recorded(headers: dict[str, list[str]]) -> dict[str, list[str]]:
    response = {"status": {"code": 200, "message": "OK"}, "headers": headers, "body": {}}
    return scrub_response_hook(())(response)["headers"]


def test_rate_limit_headers_are_kept_and_everything_else_dropped():
    kept = _recorded({**RATE_LIMIT, **DROPPED})
    assert kept == {name.lower(): values for name, values in RATE_LIMIT.items()}


def test_a_kept_headers_value_is_still_scrubbed():
    kept = _recorded({"x-ratelimit-limit-requests": ["org-AbCdEfGhIjKlMnOp"]})
    assert kept == {"x-ratelimit-limit-requests": ["REDACTED"]}


def test_the_observation_shows_the_rate_limit_headers():
    headers = {"content-type": "application/json", "x-ratelimit-remaining-tokens": "9", "openai-organization": "acme"}
    observation = observe(PROVIDERS["openai"], 429, headers, b"{}", "https://api.openai.com/v1/chat/completions")
    assert observation.headers == {"content-type": "application/json", "x-ratelimit-remaining-tokens": "9"}
