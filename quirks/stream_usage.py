"""stream-usage: whether a streamed answer reports token usage, and in which event."""

from provider_quirks.quirk import STREAMED, Probe, Quirk, chat_with

QUIRK = Quirk(
    id="stream-usage",
    title="Token usage in streamed answers",
    category="streaming",
    claim=(
        "2024 note: streamed usage needs stream_options: {include_usage: true} (OpenAI); with Azure OpenAI, "
        "'even if we add stream_options=True in the request, there is no usage return as in OpenAI'."
    ),
    summary=(
        "Every provider can tell you the token count of a streamed answer, but each puts it somewhere else. "
        "OpenAI sends none unless the request says stream_options: {include_usage: true}; then one extra chunk "
        "with an empty choices list and the usage arrives just before data: [DONE] (every earlier chunk carries "
        "usage: null). Azure OpenAI rejected stream_options on its 2024 API versions (400 'Unknown parameter') and "
        "accepts it from 2024-10-21 on. Mistral sends usage unasked, in the same chunk as finish_reason, and "
        "rejects stream_options with 422. Anthropic splits it: input tokens in message_start, the final output "
        "count in message_delta (message_start's output_tokens is provisional). Gemini repeats a cumulative "
        "usageMetadata on every chunk, so the last one is the total."
    ),
    why_it_matters=(
        "Billing, quotas and context-window bookkeeping depend on these numbers. Code that looks for usage in the "
        "last chunk, or adds up per-chunk values, reports nothing on one provider, double counts on another, and "
        "crashes on OpenAI's usage chunk if it reads choices[0]. Sending stream_options everywhere breaks Mistral "
        "and old Azure API versions outright."
    ),
    workaround=(
        "Per provider: OpenAI and Azure (2024-10-21 or later) send stream_options: {include_usage: true} and read "
        "usage from the chunk whose choices list is empty; Mistral send nothing extra and read usage from the "
        "finish chunk; Anthropic take input_tokens from message_start and output_tokens from the last "
        "message_delta; Gemini keep only the last usageMetadata. Never sum per-chunk usage."
    ),
    sources=(
        "https://github.com/openai/openai-openapi/pull/240",
        "https://github.com/openai/openai-dotnet/issues/103",
        "https://github.com/agno-agi/agno/issues/1066",
        "https://github.com/griptape-ai/griptape/issues/1640",
        "https://github.com/avante-corp/avante.nvim/issues/2347",
        "https://docs.anthropic.com/en/api/messages-streaming",
    ),
    probes=(
        Probe(
            id="stream-default",
            summary="a streamed minimal request that does not ask for usage (Gemini: streamGenerateContent?alt=sse)",
            build=chat_with(STREAMED),
        ),
        Probe(
            id="include-usage",
            summary="the same streamed request with stream_options: {include_usage: true}",
            build=chat_with(
                {"openai-chat": {"stream": True, "stream_options": {"include_usage": True}}},
                otherwise="no stream_options field: usage is always part of the stream",
            ),
            shows_workaround=True,
        ),
    ),
)
