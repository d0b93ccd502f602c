"""Write a tiny, deterministic llama-architecture GGUF chat model (no download).

The live-server tests need *a* model that real servers load and that behaves predictably:
readable text, a natural end (``finish_reason: stop``) a little after ``max_tokens: 8``, and
real tool calls. Random weights alone only repeat one token, so the layers are kept nearly
silent and a few weights are set by hand; the model is in effect a bigram table over the
current token plus two "has this control token appeared?" flags read by attention heads:

* a plain reply is always the same sentence (``REPLY``, 12 words, then ``</s>``);
* when the request has tools (the template then writes ``<|tools|>``) the reply starts with
  ``<tool_call>``; llama-server's grammar then forces the JSON, and the model keeps strings to
  one word, prefers ``}``/``]`` to optional members, and writes one-digit numbers;
  ``</tool_call>`` is followed by ``</s>``;
* once a tool result is in the conversation (``<|tool|>``) it answers ``AFTER_TOOL``.

The file is byte-identical on every build: the noise comes from a counter-based integer hash
(not numpy's RNG, whose streams may change between releases) and gguf writes no timestamps.
Only ``gguf``, ``numpy`` and the standard library are imported, so the build can run this
file with the build venv's interpreter: ``python tiny_model.py OUT.gguf``.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
from gguf import GGUFWriter, TokenType

F32 = npt.NDArray[np.float32]

NAME = "tiny-llama"  # general.name; the servers are also started with this alias
N_EMBD, N_LAYER, N_HEAD, N_FF, N_CTX = 64, 2, 4, 128, 2048
HEAD_DIM = N_EMBD // N_HEAD

#: The greedy reply to any conversation without tools (12 tokens, then ``</s>``).
REPLY = ("hello", "world", "this", "is", "a", "tiny", "test", "model", "and", "it", "says", "ok")
#: The greedy reply once a tool result is in the conversation.
AFTER_TOOL = ("thanks", "for", "the", "result")
#: The word written into every free-text JSON string of a tool call.
ARG_WORD = "sample"
WORDS = (*REPLY, *AFTER_TOOL, ARG_WORD)

SPACE = "\u2581"  # SentencePiece's word-boundary marker

# The template is written so llama-server's tool-call autodetection sees a Hermes-like
# ``<tool_call>{"name": ..., "arguments": ...}</tool_call>`` syntax; it only uses Jinja that
# both llama.cpp's engine and Python's jinja2 (llama-cpp-python) understand.
CHAT_TEMPLATE = """\
{{- bos_token }}
{%- if tools %}
{{- '<|system|>\\n<|tools|>Available tools:\\n' }}
{%- for tool in tools %}{{ tool | tojson }}{{ '\\n' }}{% endfor %}
{{- 'Reply with <tool_call>{"name": ..., "arguments": {...}}</tool_call> to call one.' }}
{{- eos_token + '\\n' }}
{%- endif %}
{%- for message in messages %}
{{- '<|' + message['role'] + '|>\\n' }}
{%- if message['content'] is string %}{{ message['content'] }}
{%- elif message['content'] %}
{%- for part in message['content'] %}{% if part['type'] == 'text' %}{{ part['text'] }}{% endif %}\
{% endfor %}
{%- endif %}
{%- if message['tool_calls'] is defined and message['tool_calls'] %}
{%- for call in message['tool_calls'] %}
{%- set fn = call['function'] if call['function'] is defined else call %}
{{- '<tool_call>{"name": "' + fn['name'] + '", "arguments": ' }}
{%- if fn['arguments'] is string %}{{ fn['arguments'] }}{% else %}{{ fn['arguments'] | tojson }}\
{% endif %}
{{- '}</tool_call>' }}
{%- endfor %}
{%- endif %}
{{- eos_token + '\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}
"""

# Residual-stream dimensions with a hand-set meaning (each is 0 or about 1 before the norm).
D_ONE = 0  # constant 1: carries the per-token output bias
D_QUOTE = 1  # the current token is '"'
D_END = 2  # the current token is </tool_call>
D_NEWLINE = 3  # the current token is a newline: the reply starts after one
D_TOOLS = 4  # the current token is <|tools|>
D_HAS_TOOLS = 5  # written by head 0: <|tools|> occurred
D_RESULT = 6  # the current token is <|tool|> (role marker of a tool result)
D_HAS_RESULT = 7  # written by head 1: <|tool|> occurred
D_CALL = 8  # the current token is <tool_call>
D_WORD0 = 9  # D_WORD0 + i: the current token is WORDS[i]


def _noise(name: str, shape: tuple[int, ...], amplitude: float) -> F32:
    """Uniform noise in [-amplitude, amplitude), fixed by ``name`` on every platform.

    splitmix64 over a counter, in wrapping uint64 arithmetic: exact integers, so the bytes do
    not depend on the numpy version or on libm.
    """
    seed = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
    z = np.arange(int(np.prod(shape)), dtype=np.uint64) + np.uint64(seed)
    z = z * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    unit = (z >> np.uint64(40)).astype(np.float32) / np.float32(1 << 24)  # 24 bits: exact
    noise: F32 = ((unit * 2 - 1) * np.float32(amplitude)).reshape(shape)
    return noise


def _vocabulary() -> tuple[list[str], list[float], list[TokenType]]:
    """SentencePiece-style: specials, byte fallback, single characters, markers, words."""
    tokens: list[str] = ["<unk>", "<s>", "</s>"]
    types = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL]
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [TokenType.BYTE] * 256
    chars = [SPACE, *(chr(c) for c in range(33, 127))]  # printable ASCII; spaces are SPACE
    tokens += chars
    types += [TokenType.NORMAL] * len(chars)
    tokens += ["<|tools|>", "<|tool|>"]
    types += [TokenType.CONTROL] * 2
    tokens += ["<tool_call>", "</tool_call>", *(SPACE + w for w in WORDS)]
    types += [TokenType.NORMAL] * (2 + len(WORDS))
    # Scores only steer how prompts are split; single characters are all we need there.
    scores = [-float(len(tok)) if t is TokenType.NORMAL else 0.0 for tok, t in zip(tokens, types, strict=True)]
    return tokens, scores, types


def _output_layer(tid: dict[str, int]) -> F32:
    """Logit weights: column D_ONE is a per-token bias, the feature columns steer the reply.

    After the final RMSNorm each active feature is about 4-8, so a weight of 3 is a logit gap
    of 12-24: far beyond float rounding, and temperature-0.8 sampling keeps the same text.
    """
    n_vocab = len(tid)
    out = np.zeros((n_vocab, N_EMBD), dtype=np.float32)
    word = {w: tid[SPACE + w] for w in WORDS}
    quote, eos, call, end = tid['"'], tid["</s>"], tid["<tool_call>"], tid["</tool_call>"]

    bias = out[:, D_ONE]
    bias[:] = -4.0  # characters and markers: only where the grammar leaves no better choice
    bias[3:259] = -10.0  # byte tokens lose to the same character's own token
    bias[list(word.values())] = 0.0
    bias[eos] = 0.0
    bias[end] = -2.0  # beats '<' when the grammar asks for "</tool_call>"
    for ws in (SPACE, "<0x09>", "<0x0A>", "<0x0D>", "<0x20>"):
        bias[tid[ws]] = -12.0  # grammar-optional whitespace: never
    for ch in "0123456789":
        bias[tid[ch]] = -5.0
    bias[tid["3"]] = -4.8  # numbers come out as 3
    for ch in "-+.eE":
        bias[tid[ch]] = -6.0
    for ch in "}]":
        bias[tid[ch]] = -3.3  # close objects/arrays rather than add optional members

    def chain(start_feature: int, words: tuple[str, ...]) -> None:
        out[word[words[0]], start_feature] += 3.0
        for cur, nxt in itertools.pairwise(words):
            out[word[nxt], D_WORD0 + WORDS.index(cur)] = 3.0
        out[eos, D_WORD0 + WORDS.index(words[-1])] = 3.0

    chain(D_NEWLINE, REPLY)
    out[word[REPLY[0]], [D_HAS_TOOLS, D_HAS_RESULT]] = -4.0
    # After a tool result: "newline AND result" starts AFTER_TOOL (the -3 bias makes it an AND).
    chain(D_HAS_RESULT, AFTER_TOOL)
    out[word[AFTER_TOOL[0]], [D_ONE, D_NEWLINE]] = [-3.0, 3.0]
    # With tools: "newline AND tools AND NOT result" starts a call.
    out[call, [D_ONE, D_NEWLINE, D_HAS_TOOLS, D_HAS_RESULT]] = [-5.0, 4.0, 4.0, -10.0]
    out[eos, [D_CALL, D_END]] = 5.0  # <tool_call> without a grammar, or </tool_call>: stop
    # Inside a tool call's JSON: a string holds one word, then closes.
    out[word[ARG_WORD], D_QUOTE] = 3.0
    out[quote, [D_QUOTE, D_NEWLINE, D_HAS_TOOLS, D_HAS_RESULT]] = [-8.0, -8.0, 7.0, -10.0]
    return out


def _layers(writer: GGUFWriter) -> None:
    """Random, nearly silent blocks, plus the two flag-writing heads in block 0."""
    for layer in range(N_LAYER):
        p = f"blk.{layer}."
        wq = _noise(p + "q", (N_EMBD, N_EMBD), 0.035)
        wk = _noise(p + "k", (N_EMBD, N_EMBD), 0.035)
        wv = _noise(p + "v", (N_EMBD, N_EMBD), 0.035)
        wo = _noise(p + "o", (N_EMBD, N_EMBD), 0.0035)  # small: the residual keeps its meaning
        if layer == 0:
            # Head h attends only to the marker token (score ~20-45 against 0 elsewhere) and
            # copies its feature into a flag; with no marker it averages zeros. Row 14 of a
            # head is the RoPE pair with the slowest rotation (< 0.7 rad over the context).
            for head, key, flag in ((0, D_TOOLS, D_HAS_TOOLS), (1, D_RESULT, D_HAS_RESULT)):
                rows = slice(head * HEAD_DIM, (head + 1) * HEAD_DIM)
                for m in (wq, wk, wv):
                    m[rows] = 0.0
                wo[:, rows] = 0.0
                wq[head * HEAD_DIM + 14, D_ONE] = 2.0
                wk[head * HEAD_DIM + 14, key] = 2.0
                wv[head * HEAD_DIM, key] = 1.0
                wo[flag, head * HEAD_DIM] = 0.18  # marker feature ~5.6 after the norm -> ~1
        ones = np.ones(N_EMBD, dtype=np.float32)
        writer.add_tensor(p + "attn_norm.weight", ones)
        writer.add_tensor(p + "attn_q.weight", wq)
        writer.add_tensor(p + "attn_k.weight", wk)
        writer.add_tensor(p + "attn_v.weight", wv)
        writer.add_tensor(p + "attn_output.weight", wo)
        writer.add_tensor(p + "ffn_norm.weight", ones)
        writer.add_tensor(p + "ffn_gate.weight", _noise(p + "gate", (N_FF, N_EMBD), 0.035))
        writer.add_tensor(p + "ffn_up.weight", _noise(p + "up", (N_FF, N_EMBD), 0.035))
        writer.add_tensor(p + "ffn_down.weight", _noise(p + "down", (N_EMBD, N_FF), 0.0035))


def write_model(path: Path) -> None:
    """Write the model to ``path`` (about 0.5 MB, well under a second)."""
    tokens, scores, types = _vocabulary()
    tid = {tok: i for i, tok in enumerate(tokens)}

    writer = GGUFWriter(str(path), "llama")
    writer.add_name(NAME)
    writer.add_context_length(N_CTX)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYER)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD)
    writer.add_rope_dimension_count(HEAD_DIM)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(len(tokens))
    writer.add_file_type(0)  # all F32
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(tid["<unk>"])
    writer.add_bos_token_id(tid["<s>"])
    writer.add_eos_token_id(tid["</s>"])
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    writer.add_chat_template(CHAT_TEMPLATE)

    # Embeddings: one-hot features on top of the constant; noise only outside them.
    emb = np.zeros((len(tokens), N_EMBD), dtype=np.float32)
    emb[:, D_ONE] = 1.0
    for tok, dim in (
        ('"', D_QUOTE),
        ("</tool_call>", D_END),
        ("<0x0A>", D_NEWLINE),
        ("<|tools|>", D_TOOLS),
        ("<|tool|>", D_RESULT),
        ("<tool_call>", D_CALL),
        *((SPACE + w, D_WORD0 + i) for i, w in enumerate(WORDS)),
    ):
        emb[tid[tok], dim] = 1.0
    free = D_WORD0 + len(WORDS)
    emb[:, free:] = _noise("token_embd", (len(tokens), N_EMBD - free), 0.05)
    writer.add_tensor("token_embd.weight", emb)

    _layers(writer)
    writer.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    writer.add_tensor("output.weight", _output_layer(tid))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tiny_model.py OUT.gguf")
    write_model(Path(sys.argv[1]))
