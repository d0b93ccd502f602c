"""stream-framing: how each provider frames a streamed answer, and how it ends."""

from provider_quirks.dialects import GEMINI_GENERATE
from provider_quirks.dialects.gemini_generate import stream_json_array
from provider_quirks.quirk import STREAMED, Probe, Quirk, chat_with

QUIRK = Quirk(
    id="stream-framing",
    title="How streamed answers are framed and ended",
    category="streaming",
    claim=(
        "2024 note: 'Most services provide their own SDK to get the streaming response ... there are cases where "
        "we cannot use the SDKs ... In such cases, it's better to work directly with their REST APIs', reading "
        "'data: ' lines by hand."
    ),
    summary=(
        "All six APIs stream, but not in the same frame. OpenAI, Azure OpenAI, Mistral and OpenAI-compatible "
        "servers (vLLM, llama.cpp) send Server-Sent Events with unnamed data: lines and end with data: [DONE]. "
        "Anthropic names every event (event: message_start, content_block_delta, ping, message_delta, "
        "message_stop), pads some JSON with spaces, and never sends [DONE]: message_stop ends the answer. Azure "
        "OpenAI opens the stream with a chunk whose choices list is empty and which carries only "
        "prompt_filter_results, with empty id and model. Gemini's streamGenerateContent answers one JSON array "
        "(application/json, elements separated by ',\\r\\n') unless the URL says alt=sse; then it sends data: "
        "events separated by CRLF, and the stream just ends, with no [DONE]. Some OpenAI-compatible services "
        "(DeepSeek, OpenRouter; not checked here) also send ': keep-alive' comment lines while waiting."
    ),
    why_it_matters=(
        "A hand-written stream reader tuned on one provider breaks on the next: one that reads choices[0] crashes "
        "on Azure's first chunk; one that waits for [DONE] hangs or reports a cut stream on Anthropic and Gemini; "
        "one that splits on '\\n\\n' finds nothing in Gemini's CRLF stream; one that expects data: lines gets a "
        "JSON array from Gemini; one that parses every line as JSON fails on comments and event: lines."
    ),
    workaround=(
        "Read streams with a spec-following SSE decoder (any line ending, comments and event names handled), "
        "skip chunks without choices, and treat the end differently per provider: [DONE] for OpenAI-style APIs, "
        "message_stop for Anthropic, end of body (with a finishReason seen) for Gemini. Always call Gemini with "
        "alt=sse so every provider answers text/event-stream."
    ),
    sources=(
        "https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation",
        "https://docs.anthropic.com/en/api/messages-streaming",
        "https://ai.google.dev/api/generate-content",
        "https://github.com/simonw/llm-gemini/issues/97",
        "https://openrouter.ai/docs/api-reference/streaming",
        "https://api-docs.deepseek.com/quick_start/rate_limit",
    ),
    probes=(
        Probe(
            id="default-stream",
            summary=(
                "a streamed minimal request as each API documents it (stream: true; Gemini streamGenerateContent "
                "without alt; OpenAI with stream_options.include_usage, the request its public recording made)"
            ),
            build=chat_with(
                {
                    "openai": {"stream": True, "stream_options": {"include_usage": True}},
                    **STREAMED,
                    "gemini-generate": stream_json_array,  # as its API reference shows it: no alt
                }
            ),
        ),
        Probe(
            id="sse-everywhere",
            summary="Gemini's streaming method with alt=sse, so that it answers text/event-stream like the others",
            build=chat_with({"gemini-generate": GEMINI_GENERATE.stream}, otherwise="already answers text/event-stream"),
            shows_workaround=True,
        ),
    ),
)
