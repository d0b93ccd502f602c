"""unknown-params: fields a provider does not know: rejected, ignored or honoured."""

from provider_quirks.quirk import Probe, Quirk, chat_with, every_dialect
from provider_quirks.wire import REMOVE

# Two turns, as in the quoted report (gera2ld/ai.nvim#13), whose error names contents[0] and contents[1].
_ROLE_IN_PARTS = [
    {"parts": [{"text": "Say hi", "role": "user"}]},
    {"parts": [{"text": "Say hi again", "role": "user"}]},
]

QUIRK = Quirk(
    id="unknown-params",
    title="Fields the provider does not know",
    category="request validation",
    claim="2024 note: only OpenAI has the user and n parameters.",
    summary=(
        "OpenAI, Azure OpenAI, Mistral, Anthropic and Gemini all validate request bodies against a closed "
        "schema: a field they do not know is an error, not something to ignore. Each says so in its own "
        "words: OpenAI 'Unrecognized request argument supplied', Mistral a 422 'extra_forbidden', "
        "Anthropic '<field>: Extra inputs are not permitted', Gemini 'Unknown name ... Cannot find field'. "
        "vLLM used to reject them too and now ignores them with a server-side warning. Which fields are "
        "known changes over time: Mistral rejected n in 2024 and accepts it today."
    ),
    why_it_matters=(
        "A request that carries one OpenAI-only option (store, max_completion_tokens, stream_options, "
        "n, user) fails outright on another provider, and a provider that silently drops a field gives "
        "no sign that the option had no effect."
    ),
    workaround="Send each provider only the fields its own API reference lists; map or drop the rest per provider.",
    sources=(
        "https://github.com/davidmigloz/langchain_dart/issues/712",
        "https://github.com/Gitlawb/openclaude/issues/739",
        "https://github.com/amrit110/oli/issues/7",
        "https://github.com/gera2ld/ai.nvim/issues/13",
        "https://github.com/vllm-project/vllm/pull/10463",
    ),
    probes=(
        Probe(
            id="n-field",
            summary="n: 1 (OpenAI's number of choices)",
            build=chat_with(
                {"openai-chat": {"n": 1}, "anthropic-messages": {"n": 1}}, otherwise="sent as candidateCount"
            ),
        ),
        Probe(
            id="openai-only-fields",
            summary="store: false and max_completion_tokens instead of max_tokens",
            build=chat_with(
                {
                    # Mistral's quoted 422 echoes the value it refused (input: 8192): its probe sends that value.
                    "mistral": {"max_tokens": REMOVE, "store": False, "max_completion_tokens": 8192},
                    "openai-chat": {"max_tokens": REMOVE, "store": False, "max_completion_tokens": 8},
                },
                otherwise="OpenAI-style bodies only",
            ),
        ),
        Probe(
            id="reasoning-effort",
            summary="reasoning_effort on a model that has no reasoning",
            build=chat_with(
                {"openai@gpt-4o-mini": {"reasoning_effort": "low"}, "azure_openai": {"reasoning_effort": "low"}},
                otherwise="probed on OpenAI's non-reasoning models",
            ),
        ),
        Probe(
            id="response-format",
            summary="OpenAI's response_format sent to the Messages API",
            build=chat_with(
                {"anthropic-messages": {"response_format": {"type": "json_object"}}}, otherwise="Anthropic only"
            ),
        ),
        Probe(
            id="misplaced-field",
            summary="a role key inside the Gemini part of each of two turns (an OpenAI habit)",
            build=chat_with({"gemini-generate": {"contents": _ROLE_IN_PARTS}}, otherwise="Gemini only"),
        ),
        Probe(
            id="known-fields-only",
            summary="the minimal request with only documented fields",
            build=chat_with(every_dialect({})),
            shows_workaround=True,
        ),
    ),
)
