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

    Graded also by what it learns: the grader trains RNNClassifier(12, 16, 32, 2) (LSTM) from parameters it sets
    for 60 Adam steps (lr 1e-2, batches of 32) on "does token 4 come before token 5?" (sequences of 3-12 tokens);
    on 512 new sequences it must be right 90% of the time.
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


# -- training a recurrent network: gradient clipping, a character-level language model ---------------
def clipped_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn, inputs: torch.Tensor,
                       targets: torch.Tensor, max_norm: float) -> float:
    """One training step with gradient clipping; returns the total gradient norm *before* clipping, a float.

    Clear the old gradients (`optimizer.zero_grad()`), compute `loss = loss_fn(model(inputs), targets)`, call
    `loss.backward()`, then `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)`, then
    `optimizer.step()`. Why: an RNN multiplies its gradient by the same weights at every step back in time, so
    one unlucky batch can give a gradient thousands of times too large (an "exploding gradient") and one step
    ruins the model. `clip_grad_norm_` treats all the parameters' gradients as one long vector g: when its norm
    ||g|| exceeds `max_norm` it scales every gradient by max_norm / ||g|| (the direction stays the same, only the
    length shrinks to max_norm); below `max_norm` it changes nothing. It returns ||g|| measured before clipping:
    log it to see how often clipping fires.

    >>> clipped_train_step(model, optimizer, nn.functional.cross_entropy, x, y, max_norm=1.0)
    3.41...     # the gradients had norm 3.41; the step used them scaled to norm 1.0

    Watch the order: clipping before `backward()` clips the old gradients (or nothing), and clipping after
    `step()` is too late, the step already used the unclipped ones. `clip_grad_value_` (each entry clamped to
    [-v, v]) is another method: it changes the direction.
    """
    raise NotImplementedError("clipped_train_step")


def char_perplexity(model: nn.Module, ids: torch.Tensor) -> float:
    """The perplexity of a character-level language model on a text: exp(mean cross-entropy), a float.

    `ids` (T,) int64 is the text, one id per character. `model` maps (batch, time) int64 ids to (batch, time,
    vocab) logits, the logits at position t predicting the character at t + 1 (it reads ids[0..t] only). So the
    inputs are `ids[:-1]` (as a batch of one) and the targets `ids[1:]`: T - 1 predictions. The mean
    cross-entropy over them is the average surprise per character in nats; its exp is the perplexity, "the
    number of characters the model hesitates between": a model that guesses uniformly over V characters has
    perplexity V, a perfect one 1. Work under `torch.no_grad()`.

    >>> char_perplexity(untrained_model, ids)   # about the vocabulary size
    14.9...

    Watch for: targets that are the inputs themselves (not shifted by one), the sum instead of the mean, and
    the mean cross-entropy returned without its exp.
    """
    raise NotImplementedError("char_perplexity")


def sample_with_temperature(logits: torch.Tensor, temperature: float, generator: torch.Generator) -> torch.Tensor:
    """Draw one token per row of `logits` (batch, vocab) from softmax(logits / temperature); returns (batch,) int64.

    Temperature T > 0 reshapes the distribution before sampling: T = 1 samples the model's own distribution,
    T < 1 sharpens it (as T -> 0 the draw becomes the argmax, greedy decoding), T > 1 flattens it toward
    uniform (more varied, more mistakes). Draw with `torch.multinomial(probabilities, 1, generator=generator)`:
    the `torch.Generator` the caller seeded makes the draws reproducible, and the same seed must give the
    same tokens.

    >>> sample_with_temperature(torch.tensor([[2.0, 1.0, 0.1]]), 0.5, torch.Generator().manual_seed(0))
    tensor([0])

    Watch for: multiplying by T instead of dividing, ignoring `generator` (the global random state is not
    the caller's seed), and writing the softmax as exp(x) / sum(exp(x)) without subtracting the maximum:
    logits / 0.001 overflows to inf and gives NaN (`torch.softmax` is stable).
    """
    raise NotImplementedError("sample_with_temperature")


def train_char_lm(model: nn.Module, ids: torch.Tensor, steps: int = 60, seq_len: int = 32, batch_size: int = 16,
                  lr: float = 1e-2, max_norm: float = 1.0, seed: int = 0) -> nn.Module:
    """Train the character-level language model `model` (as in `char_perplexity`) on the text `ids` (T,) int64,
    in place, and return it.

    Make `torch.Generator().manual_seed(seed)` and `torch.optim.Adam(model.parameters(), lr=lr)`, put the model
    in train mode, and for each of the `steps` steps: draw `batch_size` window starts s in [0, T - seq_len)
    with the generator; inputs are `ids[s : s + seq_len]` and targets the same window shifted by one,
    `ids[s + 1 : s + seq_len + 1]`, each stacked into (batch_size, seq_len); then one `clipped_train_step`
    with `max_norm` and the loss: cross-entropy over every position, the logits flattened to
    (batch * time, vocab) and the targets to (batch * time,) in the same order.

    Graded by what the model learns: with the defaults (60 Adam steps, lr 1e-2, 16 windows of 32 characters per
    step), on 4000 characters of the grader's text of short words, the trained model's perplexity on 1500 new
    characters of the same kind must fall from about the vocabulary size (15) to below 3.0 (the reference reaches
    about 2.0).
    """
    raise NotImplementedError("train_char_lm")
