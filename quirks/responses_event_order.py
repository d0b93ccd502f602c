"""responses-event-order: whether a Responses API stream keeps the event order its specification sets."""

from provider_quirks.quirk import STREAMED, Probe, Quirk, chat_with
from provider_quirks.targets import core_targets_of

QUIRK = Quirk(
    id="responses-event-order",
    title="Responses API streams: event order",
    category="streaming",
    summary=(
        "A Responses API stream is a sequence of named events: response.created first, then "
        "response.in_progress, each output item between its response.output_item.added and .done (its text "
        "deltas inside), and exactly one terminal event last (response.completed, .incomplete or .failed), "
        "which carries the whole response and its usage. OpenAI numbers the events (sequence_number) and "
        "places deltas by output_index and content_index. llama.cpp's llama-server sends the same event names "
        "in the same order but no sequence_number, output_index or content_index (deltas name their item by "
        "item_id), no response.function_call_arguments.done, and always status 'completed', also when "
        "max_output_tokens cut the answer. LiteLLM's proxy in front of it drops the event: lines (data-only "
        "events) and ends the stream with data: [DONE], which the Responses API does not send."
    ),
    why_it_matters=(
        "Clients and SDKs build the answer from these events. A client that dispatches on the SSE event name "
        "sees none through LiteLLM; one that orders deltas by sequence_number or output_index finds none on "
        "llama-server; one that waits for function_call_arguments.done never finishes a tool call there; and "
        "one that treats status 'completed' as 'not cut off' is wrong on llama-server."
    ),
    workaround=(
        "Read the event type from the JSON payload's type field, not from the SSE event line; key deltas by "
        "item_id; take tool-call arguments from response.output_item.done (or the terminal response) rather than "
        "from function_call_arguments.done; ignore a data: [DONE] line; and compare output tokens with the cap "
        "instead of trusting status."
    ),
    sources=(
        "https://www.openresponses.org/specification",
        "https://platform.openai.com/docs/api-reference/responses-streaming",
    ),
    targets=core_targets_of("openai-responses"),  # only servers of the Responses API
    probes=(
        Probe(
            id="streamed",
            summary="the minimal Responses request, streamed (stream: true)",
            build=chat_with(STREAMED),
        ),
    ),
)
