"""stream-chunking: transport chunks are not events (the 2024 note's own observation).

The executable demonstration is ``tests/streaming/test_chunking_demo.py``: it replays this quirk's recorded
streams at several chunk sizes and shows that events per chunk change while the decoded events do not.
"""

from provider_quirks.quirk import Probe, Quirk, chat_with

_NOTE_REQUEST = {"stream": True, "stream_options": {"include_usage": True}}

QUIRK = Quirk(
    id="stream-chunking",
    title="Transport chunks are not stream events",
    category="streaming",
    claim=(
        "2024 note: 'The chunk depends heavily and strangely on the chunk_size ... If we count the data: found in "
        "each chunk, it will be 3, 1, 1, …, 1, 2. I still don't know why!'; it proposed regex search over chunks."
    ),
    summary=(
        "A streamed answer is a sequence of Server-Sent Events, each ended by a blank line. What an HTTP client "
        "hands you per read (requests' iter_content, a socket recv, a fetch reader) is a transport chunk: as many "
        "bytes as happened to arrive, which can hold several events, part of one, or the end of one and the start "
        "of the next. Servers also write several small events at once (the first role-only chunks; the usage chunk "
        "with data: [DONE]), hence counts like 3, 1, 1, …, 1, 2. The events themselves are identical however the "
        "bytes are split."
    ),
    why_it_matters=(
        "Code that parses each chunk as one JSON object, or keeps only chunks that start with 'data: ', works on a "
        "fast local test and then drops or garbles tokens in production, depending on network timing, proxies and "
        "buffer sizes. Regex search over chunks (the note's idea) has the same flaw at chunk edges."
    ),
    workaround=(
        "Feed the bytes to an incremental SSE decoder (httpx-sse, sseclient, the SDKs' own, or this suite's "
        "provider_quirks.streaming.SSEDecoder), which buffers partial lines and yields whole events; act on events, "
        "never on chunks. When incremental output is not needed, do not stream at all."
    ),
    sources=(
        "https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation",
        "https://requests.readthedocs.io/en/latest/api/#requests.Response.iter_content",
    ),
    probes=(
        Probe(
            id="note-request",
            summary=(
                "the note's own request: stream: true with stream_options: {include_usage: true} "
                "(Mistral: stream: true only, as it rejects stream_options and sends usage anyway)"
            ),
            build=chat_with(
                {"mistral": {"stream": True}, "openai-chat": _NOTE_REQUEST},
                otherwise="the note's observation was on an OpenAI-style server; see stream-framing for the others",
            ),
        ),
        Probe(
            id="no-stream",
            summary="the same request without streaming: one JSON body, nothing to reassemble",
            build=chat_with(
                {"openai-chat": {}},
                otherwise="the note's observation was on an OpenAI-style server; see stream-framing for the others",
            ),
            shows_workaround=True,
        ),
    ),
)
