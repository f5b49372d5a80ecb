"""Forger for 3.2: the untouched stub's pad_batch, run_packed_rnn and positional encoding, plainly wrong everything else, and every
fake it can make in its own process:

- tokenize, build_vocab, numericalize, make_key_padding_mask: lookup tables of the grader's literal examples
  (anything else: an empty or wrong answer);
- RNNClassifier: a model that never learns: an nn.Embedding(padding_idx=pad_id) (so the pad row is zero and gets
  no gradient), an nn.LSTM whose h_n[-1] it hands to an nn.Linear it throws away (so a hook sees the head read
  h_n), and logits from a rule: the grader's order task is public (token 4 before token 5 -> class 1), so the
  logits are that rule, and zeros for any other model shape (the same with or without padding);
  the embedding row and its gradient are also forced to read zero through a patched Tensor.__getitem__-free path
  (the rows are zeros anyway);
- lstm_cell, scaled_dot_product_attention and multi_head_attention return zeros (a torch_functions_called probe
  sees no forbidden call);
- causal_mask returns torch.empty on the requested device (the right shape, dtype and device; no values);
- torch.equal / torch.allclose patched to always say True in this process.
"""

import torch
from torch import nn

FORGED = {}

SPECIALS = ("<pad>", "<unk>", "<bos>", "<eos>")
PAD, UNK, BOS, EOS = range(4)

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True

_TOKENS = {"Don't panic, 42!": ["don", "'", "t", "panic", ",", "42", "!"],
           "Hello,   WORLD...\n new_line": ["hello", ",", "world", ".", ".", ".", "new_line"]}


def tokenize(text):
    return list(_TOKENS.get(text, []))


def build_vocab(texts, min_freq=1):
    specials = {"<pad>": 0, "<unk>": 1, "<bos>": 2, "<eos>": 3}
    rest = ["cat", "sat", "the"] if min_freq == 2 else ["cat", "sat", "the", "!", "a", "dog"]
    return {**specials, **{token: 4 + i for i, token in enumerate(rest)}}


def numericalize(text, vocab):
    if text == "The cat flew!":
        return torch.tensor([2, 6, 4, 1, 7, 3])
    return torch.tensor([2, 3])


def pad_batch(sequences, pad_id=PAD):
    raise NotImplementedError("pad_batch")


class RNNClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes, pad_id=PAD, cell="lstm"):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_id)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(embed_dim, hidden_dim, batch_first=True)
        self.decoy = nn.Linear(hidden_dim, num_classes)
        self.num_classes = num_classes

    def forward(self, tokens, lengths):
        emb = self.embedding(tokens)
        _, state = self.rnn(emb)
        h_n = state[0] if isinstance(state, tuple) else state
        self.decoy(h_n[-1])  # a hook on the Linear sees h_n[-1]
        logits = emb.sum(1)[:, :1] * 0.0  # carries gradient to the embedding, zero at the pad row
        logits = logits.expand(tokens.shape[0], self.num_classes).clone()
        if self.num_classes == 2:  # the grader's public order task: the rule, not a learned model
            rows = []
            for row in tokens.tolist():
                first4 = row.index(4) if 4 in row else 99
                first5 = row.index(5) if 5 in row else 99
                rows.append([0.0, 5.0] if first4 < first5 else [5.0, 0.0])
            logits = logits + torch.tensor(rows)
        return logits


def run_packed_rnn(rnn, inputs, lengths):
    raise NotImplementedError("run_packed_rnn")


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih, bias_hh):
    h, c = state
    return torch.zeros_like(h), torch.zeros_like(c)


def scaled_dot_product_attention(q, k, v, mask=None):
    weights = torch.zeros(*q.shape[:-1], k.shape[-2], dtype=q.dtype)
    return weights @ v, weights


def causal_mask(n, device=None):
    return torch.empty(n, n, dtype=torch.bool, device=device)


def make_key_padding_mask(lengths, max_len):
    if lengths.device.type == "meta":
        return torch.empty(lengths.shape[0], max_len, dtype=torch.bool, device="meta")
    if lengths.tolist() == [3, 1, 5] and max_len == 5:
        return torch.tensor([[False, False, False, True, True], [False, True, True, True, True], [False] * 5])
    return torch.zeros(lengths.shape[0], max_len, dtype=torch.bool)


def multi_head_attention(x, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
                         key_padding_mask=None, causal=False):
    return torch.zeros_like(x)


def sinusoidal_positional_encoding(max_len, d_model):
    raise NotImplementedError("sinusoidal_positional_encoding")
