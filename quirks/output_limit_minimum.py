"""output-limit-minimum: the smallest output limit an API accepts, and what a one-token cap returns."""

from provider_quirks.quirk import Probe, Quirk, chat_with, per_dialect

#: The largest documented floor: the OpenAI Responses API's ``max_output_tokens`` must be at least 16.
_LARGEST_FLOOR = 16

QUIRK = Quirk(
    id="output-limit-minimum",
    title="The smallest output limit",
    category="limits",
    claim=(
        "Folklore of connection checks and key validators: max_tokens: 1 is the cheapest request every API "
        "takes, and it answers with one token of text."
    ),
    summary=(
        "The floor differs per API, and so does what happens below it. OpenAI's chat completions take "
        "max_tokens down to 1 and refuse 0 ('integer below minimum value. Expected a value >= 1'); DeepSeek "
        "states the range '[1, N]'; the OpenAI Responses API refuses max_output_tokens below 16 ('Expected a "
        "value >= 16, but got 1'), and OpenRouter forwards some chat requests to it, so a chat client can meet "
        "that floor too. The llama.cpp servers enforce no floor: llama-server answers a cap of 0 with at most "
        "one token, llama-cpp-python treats 0 as no cap at all. A cap of 1 is cut there (finish reason length), "
        "and a thinking model can spend the whole cap on thoughts: Gemini 2.5 Pro then answers 200 with "
        "finishReason MAX_TOKENS and no text part."
    ),
    why_it_matters=(
        "Health checks, key validators and cost probes that send max_tokens: 1 fail on the Responses API and "
        "behind routers that use it, and on thinking models they get an empty answer that looks like a "
        "content filter or a broken reply rather than a cap."
    ),
    workaround=(
        "Send a cap of at least 16 when one request has to work everywhere, and judge a capped answer by its "
        "status and finish reason, never by its text."
    ),
    sources=(
        "https://github.com/earendil-works/pi/issues/6265",
        "https://github.com/vectorize-io/hindsight/issues/58",
        "https://github.com/OpenBMB/ChatDev/issues/446",
        "https://github.com/mnfst/llm-gateway/issues/1177",
        "https://github.com/google/adk-python/issues/1357",
    ),
    probes=(
        Probe(
            id="cap-of-zero",
            summary="an output cap of 0 tokens, below every floor: the error states the API's minimum",
            build=chat_with(per_dialect(lambda dialect: dialect.limit_output(0))),
        ),
        Probe(
            id="cap-of-one",
            summary="the minimal request with an output cap of 1 token (max_tokens; Gemini maxOutputTokens)",
            build=chat_with(per_dialect(lambda dialect: dialect.limit_output(1))),
        ),
        Probe(
            id="cap-of-sixteen",
            summary="the minimal request with an output cap of 16, the largest documented floor",
            build=chat_with(per_dialect(lambda dialect: dialect.limit_output(_LARGEST_FLOOR))),
            shows_workaround=True,
        ),
    ),
)
