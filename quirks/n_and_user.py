"""n-and-user: several choices per call (n) and per-user ids (user), and each provider's own field for them."""

from provider_quirks.quirk import Probe, Quirk, chat_with
from provider_quirks.wire import NotApplicable

_USER_ID = "user-1234"
_NO_USER_FIELD = "no per-user id field besides user itself"

QUIRK = Quirk(
    id="n-and-user",
    title="Several choices (n) and per-user ids (user)",
    category="request fields",
    claim="2024 note: only OpenAI has the user and n parameters.",
    summary=(
        "OpenAI's chat API takes n (how many alternative answers to generate in one call) and user (an id of "
        "your end user, for abuse monitoring). Other providers differ: Mistral accepts n today (it rejected it "
        "in 2024) and has no user field; Gemini calls n generationConfig.candidateCount; Anthropic has no n "
        "at all and puts the end-user id in metadata.user_id. OpenAI itself now deprecates user in favour of "
        "safety_identifier. A provider that accepts n can still return a single choice, so the check is on "
        "the number of choices returned, not only on the status."
    ),
    why_it_matters=(
        "Code that asks for n: 2 and reads choices[1] breaks on a provider that rejects n, and silently "
        "loses alternatives on one that ignores it; an end-user id sent as user is an error on strict "
        "providers and never reaches the field the provider actually reads."
    ),
    workaround=(
        "Map n and user per provider: n to candidateCount on Gemini, one call per alternative on Anthropic; "
        "user to metadata.user_id on Anthropic and to safety_identifier on OpenAI; count the choices you get back."
    ),
    sources=(
        "https://github.com/crewAIInc/crewAI/issues/60",
        "https://github.com/pydantic/pydantic-ai/blob/bfe4eea4f54bff6207b6006af279bafdebb7c218/tests/models/cassettes/test_mistral/test_mistral_forwards_penalties.yaml",
        "https://github.com/googleapis/js-genai/issues/1609",
        "https://help.openai.com/en/articles/5428082-how-to-incorporate-a-safety-identifier",
    ),
    probes=(
        Probe(
            id="n-two",
            summary="n: 2, and how many choices come back",
            build=chat_with(
                {"openai-chat": {"n": 2}, "anthropic-messages": {"n": 2}},
                otherwise="Gemini has no n; its field is probed as native-fields (candidateCount)",
            ),
        ),
        Probe(
            id="user-field",
            summary=f"user: {_USER_ID!r}, OpenAI's end-user id",
            build=chat_with(
                {"openai-chat": {"user": _USER_ID}, "anthropic-messages": {"user": _USER_ID}},
                otherwise="Gemini's generateContent has no end-user id field",
            ),
        ),
        Probe(
            id="native-fields",
            summary="the provider's own field: candidateCount: 2, metadata.user_id, safety_identifier",
            build=chat_with(
                {
                    "openai@gpt-4o-mini": {"safety_identifier": _USER_ID},
                    "gemini-generate": {"generationConfig": {"maxOutputTokens": 8, "candidateCount": 2}},
                    "anthropic-messages": {"metadata": {"user_id": _USER_ID}},
                    "mistral": NotApplicable(f"n is Mistral's own field (n-two); {_NO_USER_FIELD}"),
                },
                otherwise=f"n and user are this API's own fields; {_NO_USER_FIELD}",
            ),
            shows_workaround=True,
        ),
    ),
)
