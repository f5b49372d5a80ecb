"""3.2 RNN, LSTM, GRU and attention — from raw text to masked multi-head attention.

Text reaches a network as integers: split it into tokens, map each token to an index in a
vocabulary (with a few special tokens), and pad a batch of different lengths to one rectangle.
A recurrent network (a plain RNN, an LSTM, a GRU) then reads the sequence step by step; attention
instead lets every position look at every other one, weighted by a softmax over similarity scores.

Two things go wrong silently and are graded here:
- *Padding leaks.* An RNN that runs over `<pad>` steps, or attention that attends to padded keys,
  gives answers that change with how much padding the batch happened to need. Pack the sequences
  (`pack_padded_sequence`) and mask the padded keys.
- *Masks have two conventions.* In `F.scaled_dot_product_attention` a boolean mask `True` means
  "may attend"; in `nn.MultiheadAttention` / `nn.Transformer` (`key_padding_mask`, `attn_mask`)
  `True` means "ignore". Passing one library's mask to the other inverts it.

torchtext is discontinued: preprocessing is written by hand here (or done with `tokenizers`, item 3.3).
All tensors are batch-first: (batch, time, ...). Replace each `raise NotImplementedError` with your
code, then run `ptgrade check 3.2`.
"""
import math  # noqa: F401 - you will want math.sqrt / math.log
import re  # noqa: F401
from collections import Counter  # noqa: F401

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: F401

SPECIALS = ("<pad>", "<unk>", "<bos>", "<eos>")  # always indices 0, 1, 2, 3 in this order
PAD, UNK, BOS, EOS = range(4)


def tokenize(text: str) -> list[str]:
    """Lower-case `text` and split it into tokens: each run of word characters (`\\w+`: letters,
    digits, underscore) is one token, and every other non-space character is a token of its own.

    >>> tokenize("Don't panic, 42!")
    ['don', "'", 't', 'panic', ',', '42', '!']
    """
    raise NotImplementedError("tokenize")


def build_vocab(texts: list[str], min_freq: int = 1) -> dict[str, int]:
    """A vocabulary (token -> index) built from `tokenize`d `texts`.

    Indices 0..3 are the special tokens of `SPECIALS`, in that order: `<pad>` fills short
    sequences, `<unk>` stands for any token not in the vocabulary, `<bos>` / `<eos>` mark the
    beginning and end of a sequence. Then come the tokens seen at least `min_freq` times, most
    frequent first, ties in alphabetical order, so the vocabulary is the same on every run.
    """
    raise NotImplementedError("build_vocab")


def numericalize(text: str, vocab: dict[str, int]) -> torch.Tensor:
    """The int64 tensor [<bos>, token ids..., <eos>] for `text`; a token missing from `vocab`
    becomes `<unk>` (never a KeyError: real text always has words you did not see)."""
    raise NotImplementedError("numericalize")


def pad_batch(sequences: list[torch.Tensor], pad_id: int = PAD) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad 1-D int64 sequences of different lengths into one batch-first tensor.

    Returns `(padded, lengths)`: `padded` is (batch, max_len) int64 with each sequence at the start of
    its row and `pad_id` after it; `lengths` is the (batch,) int64 tensor of the true lengths.
    """
    raise NotImplementedError("pad_batch")


class RNNClassifier(nn.Module):
    """Embedding -> one-layer LSTM (or GRU) -> linear head on the last hidden state.

    - `nn.Embedding(vocab_size, embed_dim, padding_idx=pad_id)`: the pad row is all zeros and gets
      no gradient, so `<pad>` never learns a meaning.
    - `cell` is "lstm" (`nn.LSTM`) or "gru" (`nn.GRU`), with `batch_first=True`.
    - `forward(tokens, lengths)`: tokens (batch, time) int64 padded with `pad_id`, lengths (batch,)
      int64. Pack the embedded batch (lengths in any order) so the RNN stops at each sequence's
      real end; the final hidden state `h_n` (layers, batch, hidden) then holds each sequence's
      last *real* step.
      Return logits (batch, num_classes).

    The pitfall: run the RNN over the padded tensor and take the last time step, and a sequence's
    logits change with the padding its batch-mates forced on it. Here they must not change at all.
    """

    def __init__(self, vocab_size: int, embed_dim: int, hidden_dim: int, num_classes: int,
                 pad_id: int = PAD, cell: str = "lstm"):
        super().__init__()
        raise NotImplementedError("RNNClassifier")

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("RNNClassifier.forward")


def run_packed_rnn(rnn: nn.RNN, inputs: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Run a plain `nn.RNN` (built with `batch_first=True`) over a padded batch so that every sequence
    stops at its own end; returns `(outputs, last)`.

    A plain (Elman) RNN carries one hidden state and updates it at every step with the same weights:
        h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh),   h_0 = 0
    With `rnn.num_layers > 1` each layer reads the outputs of the layer below it.

    inputs (batch, time, input_size) float, each sequence at the start of its row and padding after
    it; lengths (batch,) int64, each >= 1, in any order (NOT sorted by length), on the CPU or on the
    device of `inputs`.
    - `outputs` (batch, time, hidden_size): the top layer's h_t at every real step of each sequence
      and zeros at its padded steps; `time` is that of `inputs`, even when every sequence is shorter.
    - `last` (batch, hidden_size): each sequence's top-layer hidden state after its last *real* step.
    Both are in the order of `inputs`. Padding never reaches them: a sequence gets the same answer
    whatever its batch-mates forced on it.
    """
    raise NotImplementedError("run_packed_rnn")


def lstm_cell(x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor], weight_ih: torch.Tensor,
              weight_hh: torch.Tensor, bias_ih: torch.Tensor, bias_hh: torch.Tensor):
    """One LSTM step by hand, exactly as `nn.LSTMCell` computes it; returns `(h_next, c_next)`.

    x (batch, input), state = (h, c) each (batch, hidden); weight_ih (4*hidden, input),
    weight_hh (4*hidden, hidden), biases (4*hidden,) — the layout of `nn.LSTMCell`'s parameters.
    The four gate pre-activations `x W_ih^T + b_ih + h W_hh^T + b_hh` are stacked in the order
    input, forget, cell (g), output. The input, forget and output gates are sigmoids (between 0 and
    1); the candidate g is a tanh. The new cell state keeps what the forget gate lets through of the
    old one and adds what the input gate lets through of g; the new hidden state is the output gate
    applied to the squashed (tanh) new cell state.
    Use differentiable torch operations only: gradients are compared with nn.LSTMCell's too. Do not
    call `nn.LSTMCell`, `nn.LSTM` or `torch.lstm_cell`: writing the gates is the exercise.
    """
    raise NotImplementedError("lstm_cell")


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 mask: torch.Tensor | None = None):
    """Attention by hand; returns `(output, weights)`.

    q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv). Scores are `q k^T / sqrt(d)` (dividing by sqrt(d)
    keeps their spread independent of d, so the softmax does not saturate). `weights` (..., Lq, Lk)
    is the softmax over the *keys* (the last axis: each query's weights sum to 1), and the output
    (..., Lq, dv) is `weights @ v`.

    `mask` is None or a boolean tensor broadcastable to (..., Lq, Lk) with the convention of
    `F.scaled_dot_product_attention`: True = may attend. Masked scores become -inf before the
    softmax, so their weight is exactly 0. A query whose keys are *all* masked has nothing to
    attend to: the softmax of a row of -inf is NaN (0/0), but its weights and its output must be 0,
    as `F.scaled_dot_product_attention` gives. Your output must equal
    `F.scaled_dot_product_attention(q, k, v, attn_mask=mask)`, without calling it (or
    `nn.MultiheadAttention`): writing it is the exercise.
    """
    raise NotImplementedError("scaled_dot_product_attention")


def causal_mask(n: int, device: torch.device | None = None) -> torch.Tensor:
    """The (n, n) boolean causal mask in the scaled_dot_product_attention convention (True = may
    attend): query i may see keys 0..i — itself included — and nothing later. Create it on `device`."""
    raise NotImplementedError("causal_mask")


def make_key_padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """The (batch, max_len) boolean `key_padding_mask` for `nn.MultiheadAttention`, in ITS
    convention: True = padding, ignore this key. Row b is False for the first lengths[b] positions
    and True after. (This is the opposite of `causal_mask`'s convention: that is the lesson.)
    Create it on `lengths.device`."""
    raise NotImplementedError("make_key_padding_mask")


def multi_head_attention(x: torch.Tensor, num_heads: int, in_proj_weight: torch.Tensor,
                         in_proj_bias: torch.Tensor, out_proj_weight: torch.Tensor,
                         out_proj_bias: torch.Tensor, key_padding_mask: torch.Tensor | None = None,
                         causal: bool = False) -> torch.Tensor:
    """Multi-head self-attention by hand, equal to `nn.MultiheadAttention(embed, num_heads,
    batch_first=True)` called as `mha(x, x, x, key_padding_mask=..., attn_mask=...)[0]` with the
    same parameters, without calling `nn.MultiheadAttention` or `F.scaled_dot_product_attention`
    (attend with your own `scaled_dot_product_attention`).

    x (batch, time, embed). `in_proj_weight` (3*embed, embed) and `in_proj_bias` (3*embed,) stack the
    query, key and value projections in that order; `out_proj_*` is the output projection.
    Each head attends on its own slice of head_dim = embed // num_heads features of the projected
    q, k and v; the heads' outputs are concatenated and projected by `out_proj_*`. Padded keys
    (`key_padding_mask`: True = padding, the nn.MultiheadAttention convention, the opposite of your
    attend-mask) and, when `causal`, the future are hidden from every query.
    """
    raise NotImplementedError("multi_head_attention")


def sinusoidal_positional_encoding(max_len: int, d_model: int) -> torch.Tensor:
    """The (max_len, d_model) float32 sinusoidal positional encoding of "Attention Is All You Need":

        PE[pos, 2i]   = sin(pos / 10000^(2i / d_model))
        PE[pos, 2i+1] = cos(pos / 10000^(2i / d_model))

    Even columns hold sines, odd columns cosines, interleaved (not a block of sines then a block of
    cosines). d_model is even. Attention alone cannot tell positions apart; adding this to the
    embeddings gives each position a distinct, smoothly varying signature.
    """
    raise NotImplementedError("sinusoidal_positional_encoding")
