"""Event-stream decoding speed and memory: our SSEDecoder against httpx-sse's pipeline.

Both sides start from transport bytes and end with event objects, so both include UTF-8
decoding and line splitting: httpx-sse's ``iter_sse`` decodes with httpx's ``TextDecoder``,
splits with its ``SSELineDecoder``, strips each line and feeds its ``SSEDecoder``; the baseline
below is that loop without the HTTP response around it. The stream (>= 50 MB of OpenAI-style
``chat.completion.chunk`` events with varied unicode text) is generated deterministically in
memory, split into transport chunks of several sizes, and decoded by both in alternating order
over several rounds. Times are CPU time of this process, so other load on the machine skews
them less than wall-clock time would. Peak memory is measured with tracemalloc at two stream
lengths: a decoder whose memory is flat shows the same peak for both.

Run: ``python benchmarks/bench_sse.py``. The last line is ``ratio_vs_httpx_sse: X.XX``, our
events per second over theirs (median over rounds of the all-chunk-size totals).
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

from httpx._decoders import TextDecoder
from httpx_sse._decoders import SSEDecoder as HttpxSSEDecoder
from httpx_sse._decoders import SSELineDecoder

from provider_quirks.streaming.sse import SSEDecoder

STREAM_BYTES = 52 * 1024 * 1024
CHUNK_SIZES = (1024, 16 * 1024, 64 * 1024)
ROUNDS = 3
MEMORY_LENGTHS = (10 * 1024 * 1024, STREAM_BYTES)
MEMORY_CHUNK = 64 * 1024
WORDS = (
    *("the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", ",", ".", "!", "?", "\n"),
    *("café", "naïve", "façade", "Zürich", "São Paulo", "København", "Ωmega", "αβγ", "Привет"),
    *("日本語", "の", "テキスト", "中文", "文本", "한국어", "हिन्दी", "العربية", "עברית"),
    *("🙂", "🚀", "✅", "👋🏽", '"quoted"', "back\\slash", "tab\t"),
)

Decoder = Callable[[list[bytes]], int]


def make_stream(size: int) -> bytes:
    """OpenAI chat chunks as ``stream_options.include_usage`` sends them, until ``size`` bytes."""
    rnd = random.Random(20240601)
    head = {
        "id": "chatcmpl-C2P1wq3L8xYvXo7Q",
        "object": "chat.completion.chunk",
        "created": 1754688908,
        "model": "gpt-4o-2024-08-06",
        "system_fingerprint": "fp_ff25b2783a",
    }
    parts, total = [], 0
    while total < size:
        text = "".join(rnd.choice(WORDS) + rnd.choice(("", " ")) for _ in range(rnd.randint(1, 6)))
        chunk = {
            **head,
            "choices": [{"index": 0, "delta": {"content": text}, "logprobs": None, "finish_reason": None}],
            "usage": None,
            "obfuscation": "".join(rnd.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=10)),
        }
        event = f"data: {json.dumps(chunk, ensure_ascii=False, separators=(',', ':'))}\n\n"
        parts.append(event)
        total += len(event.encode())
    final = {**head, "choices": [], "usage": {"prompt_tokens": 14, "completion_tokens": 9}}
    parts.append(f"data: {json.dumps(final, separators=(',', ':'))}\n\ndata: [DONE]\n\n")
    return "".join(parts).encode()


def ours(chunks: list[bytes]) -> int:
    decoder = SSEDecoder()
    events = 0
    for chunk in chunks:
        events += len(decoder.feed(chunk))
    decoder.close()
    return events


def httpx_sse(chunks: list[bytes]) -> int:
    """httpx-sse's ``iter_sse`` loop over ``response.iter_text()``, minus the response."""
    text_decoder, line_decoder, decoder = TextDecoder("utf-8"), SSELineDecoder(), HttpxSSEDecoder()
    events = 0
    for chunk in chunks:
        for line in line_decoder.decode(text_decoder.decode(chunk)):
            events += decoder.decode(line.rstrip("\n")) is not None
    for line in line_decoder.decode(text_decoder.flush()) + line_decoder.flush():
        events += decoder.decode(line.rstrip("\n")) is not None
    return events


DECODERS: dict[str, Decoder] = {"ours": ours, "httpx-sse": httpx_sse}


def split(body: bytes, size: int) -> list[bytes]:
    return [body[start : start + size] for start in range(0, len(body), size)]


def timed(decoder: Decoder, chunks: list[bytes]) -> tuple[int, float]:
    gc.collect()
    start = time.process_time()
    events = decoder(chunks)
    return events, time.process_time() - start


def peak_memory(decoder: Decoder, chunks: list[bytes]) -> int:
    """Peak bytes allocated while decoding (the chunks themselves exist before tracing)."""
    gc.collect()
    tracemalloc.start()
    decoder(chunks)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def speed(body: bytes) -> list[float]:
    """Events/s per round and chunk size; returns each round's ratio over all sizes."""
    ratios: list[float] = []
    rates: dict[tuple[str, int], list[float]] = {(n, s): [] for n in DECODERS for s in CHUNK_SIZES}
    for round_number in range(1, ROUNDS + 1):
        seconds = dict.fromkeys(DECODERS, 0.0)
        for size in CHUNK_SIZES:
            chunks = split(body, size)
            order = list(DECODERS) if round_number % 2 else list(reversed(DECODERS))
            counts: dict[str, int] = {}
            for name in order:
                counts[name], elapsed = timed(DECODERS[name], chunks)
                seconds[name] += elapsed
                rates[name, size].append(counts[name] / elapsed)
            assert counts["ours"] == counts["httpx-sse"], counts
            line = "  ".join(f"{name} {rates[name, size][-1]:>11,.0f} ev/s" for name in DECODERS)
            print(f"round {round_number}  chunks {size // 1024:>2} KiB  {line}")
            del chunks  # before the next split: one copy of the stream at a time
        # Both decoders see the same events, so the ratio of rates is the ratio of times.
        ratios.append(seconds["httpx-sse"] / seconds["ours"])
        print(f"round {round_number}  all sizes  ratio {ratios[-1]:.2f}")
    print("median events/s over rounds:")
    for size in CHUNK_SIZES:
        medians = {name: statistics.median(rates[name, size]) for name in DECODERS}
        cells = "  ".join(f"{name} {rate:>11,.0f}" for name, rate in medians.items())
        ratio = medians["ours"] / medians["httpx-sse"]
        print(f"  chunks {size // 1024:>2} KiB  {cells}  ratio {ratio:.2f}")
    return ratios


def memory(body: bytes) -> None:
    print(f"peak memory while decoding (tracemalloc, {MEMORY_CHUNK // 1024} KiB chunks):")
    for name, decoder in DECODERS.items():
        cells = []
        for length in MEMORY_LENGTHS:
            peak = peak_memory(decoder, split(body[:length], MEMORY_CHUNK))
            cells.append(f"{length / 2**20:>4.0f} MiB stream: {peak / 2**10:>6.0f} KiB")
        print(f"  {name:<9}  " + "  ".join(cells))


def main() -> None:
    body = make_stream(STREAM_BYTES)
    print(f"stream: {len(body) / 2**20:.1f} MiB of OpenAI-style chat chunks, LF, unicode text")
    ratios = speed(body)
    memory(body)
    print(f"ratio_vs_httpx_sse: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
