"""unsupported-params: OpenAI parameters an OpenAI-compatible API rejects, or accepts and silently drops."""

from collections.abc import Callable, Mapping
from typing import Any

from provider_quirks.dialects import OPENAI_CHAT
from provider_quirks.quirk import BuildResult, Probe, Quirk, chat_with
from provider_quirks.targets import Target
from provider_quirks.tools import WEATHER_TOOL

#: Why the native APIs have no cell here: their own fields differ, and unknown ones are errors (unknown-params).
_OPENAI_STYLE = "an OpenAI parameter, probed on OpenAI-style APIs (native APIs reject unknown fields: unknown-params)"


def _with(fields: Mapping[str, Any]) -> Callable[[Target], BuildResult]:
    """The minimal OpenAI-style request plus ``fields``; not applicable elsewhere."""
    return chat_with({"openai-chat": fields}, otherwise=_OPENAI_STYLE)


QUIRK = Quirk(
    id="unsupported-params",
    title="OpenAI parameters a compatible API rejects or ignores",
    category="request validation",
    claim=(
        "2024 note, and the reason 'OpenAI-compatible' APIs exist: the same request with logprobs, logit_bias, "
        "n, seed, parallel_tool_calls or response_format works on any of them."
    ),
    summary=(
        "Compatible APIs take OpenAI's request shape but not all of its parameters, and they differ in what "
        "they do with the rest. Groq documents a 400 for logprobs, logit_bias, top_logprobs and any n other "
        "than 1 ('`logprobs` is not supported with this model'). Anthropic's OpenAI-compatible layer documents "
        "the opposite: logprobs, logit_bias, seed and response_format are ignored and n must be 1. OpenRouter "
        "by default sends each provider 'only the parameters they support, and ignore[s] the rest' unless "
        "provider.require_parameters is true. DeepSeek's reasoning mode accepts temperature and the penalties "
        "without effect. Where a parameter changes the answer's shape, the answer tells which case it is: n: 2 "
        "honoured gives two choices, ignored gives one with a 200. Recorded: both llama.cpp servers accept all six, "
        "but llama-cpp-python answers n: 2 with one choice and logprobs: true with logprobs: null, where "
        "llama-server honours both."
    ),
    why_it_matters=(
        "A rejected parameter fails loudly and once. An ignored one fails silently: sampling is not seeded, "
        "a banned token is still generated, the JSON mode is off, and nothing in a 200 says so."
    ),
    workaround=(
        "Send each provider only the parameters its compatibility page lists as supported, check the ones that "
        "show in the answer (n against the number of choices), and on OpenRouter set provider.require_parameters: "
        "true so that a provider which would drop a parameter is not chosen."
    ),
    sources=(
        "https://console.groq.com/docs/openai",
        "https://github.com/groq/groq-python/issues/31",
        "https://github.com/groq/groq-python/issues/25",
        "https://docs.anthropic.com/ja/api/openai-sdk",
        "https://openrouter.ai/docs/features/provider-routing",
        "https://api-docs.deepseek.com/guides/thinking_mode/",
    ),
    probes=(
        Probe(id="logprobs", summary="logprobs: true", build=_with({"logprobs": True})),
        Probe(
            id="logit-bias",
            summary="logit_bias banning one token id",
            build=_with({"logit_bias": {"1": -100}}),
        ),
        Probe(id="n", summary="n: 2, and how many choices come back", build=_with({"n": 2})),
        Probe(id="seed", summary="seed: 1", build=_with({"seed": 1})),
        Probe(
            id="parallel-tool-calls",
            summary="parallel_tool_calls: false, with one tool declared",
            build=_with({**OPENAI_CHAT.declare_tools([WEATHER_TOOL]), "parallel_tool_calls": False}),
        ),
        Probe(
            id="response-format",
            summary="response_format json_object, with a prompt that asks for JSON",
            build=_with(
                {**OPENAI_CHAT.conversation([("user", "Say hi in JSON")]), "response_format": {"type": "json_object"}}
            ),
        ),
        Probe(
            id="require-parameters",
            summary="OpenRouter's provider.require_parameters: true with logprobs: true",
            build=chat_with(
                {"openrouter": {"provider": {"require_parameters": True}, "logprobs": True}},
                otherwise="OpenRouter's routing option; other APIs have no provider selection",
            ),
            shows_workaround=True,
        ),
    ),
)
