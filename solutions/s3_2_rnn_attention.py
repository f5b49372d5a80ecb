"""Reference solution for exercises/s3_2_rnn_attention.py."""
import math
import re
from collections import Counter

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

SPECIALS = ("<pad>", "<unk>", "<bos>", "<eos>")
PAD, UNK, BOS, EOS = range(4)


def tokenize(text):
    return re.findall(r"\w+|[^\w\s]", text.lower())


def build_vocab(texts, min_freq=1):
    counts = Counter(token for text in texts for token in tokenize(text))
    kept = sorted((t for t, n in counts.items() if n >= min_freq), key=lambda t: (-counts[t], t))
    return {token: index for index, token in enumerate(list(SPECIALS) + kept)}


def numericalize(text, vocab):
    ids = [vocab.get(token, vocab["<unk>"]) for token in tokenize(text)]
    return torch.tensor([vocab["<bos>"], *ids, vocab["<eos>"]], dtype=torch.int64)


def pad_batch(sequences, pad_id=PAD):
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    padded = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.int64)
    for row, sequence in enumerate(sequences):
        padded[row, :len(sequence)] = sequence
    return padded, lengths


class RNNClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes, pad_id=PAD, cell="lstm"):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_id)
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = rnn(embed_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, num_classes)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embedding(tokens), lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, state = self.rnn(packed)
        h_n = state[0] if isinstance(state, tuple) else state  # (layers, batch, hidden)
        return self.head(h_n[-1])


def run_packed_rnn(rnn, inputs, lengths):
    packed = pack_padded_sequence(inputs, lengths.cpu(), batch_first=True, enforce_sorted=False)
    output, h_n = rnn(packed)  # h_n (layers, batch, hidden) comes back in the order of `inputs`
    outputs, _ = pad_packed_sequence(output, batch_first=True, total_length=inputs.size(1))
    return outputs, h_n[-1]


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih, bias_hh):
    h, c = state
    gates = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, g, o = gates.chunk(4, dim=-1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_next = torch.sigmoid(o) * torch.tanh(c_next)
    return h_next, c_next


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    if mask is not None:  # a query with every key masked: softmax gives NaN (0/0); it attends to nothing
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights


def causal_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def make_key_padding_mask(lengths, max_len):
    return torch.arange(max_len, device=lengths.device) >= lengths.unsqueeze(1)


def multi_head_attention(x, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
                         key_padding_mask=None, causal=False):
    batch, time, embed = x.shape
    head_dim = embed // num_heads
    q, k, v = F.linear(x, in_proj_weight, in_proj_bias).chunk(3, dim=-1)
    q, k, v = (t.view(batch, time, num_heads, head_dim).transpose(1, 2) for t in (q, k, v))
    mask = torch.ones(batch, 1, time, time, dtype=torch.bool, device=x.device)
    if key_padding_mask is not None:
        mask = mask & ~key_padding_mask[:, None, None, :]
    if causal:
        mask = mask & causal_mask(time, x.device)
    out, _ = scaled_dot_product_attention(q, k, v, mask)
    out = out.transpose(1, 2).reshape(batch, time, embed)
    return F.linear(out, out_proj_weight, out_proj_bias)


def sinusoidal_positional_encoding(max_len, d_model):
    position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
    frequency = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_len, d_model)
    pe[:, 0::2] = torch.sin(position * frequency)
    pe[:, 1::2] = torch.cos(position * frequency)
    return pe


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)  # after backward, before step
    optimizer.step()
    return float(total_norm)


def char_perplexity(model, ids):
    with torch.no_grad():
        logits = model(ids[:-1].unsqueeze(0))[0]  # (T - 1, vocab): the prediction for each next character
        return math.exp(F.cross_entropy(logits, ids[1:]).item())


def sample_with_temperature(logits, temperature, generator):
    probabilities = torch.softmax(logits / temperature, dim=-1)
    return torch.multinomial(probabilities, 1, generator=generator).squeeze(-1)


def train_char_lm(model, ids, steps=60, seq_len=32, batch_size=16, lr=1e-2, max_norm=1.0, seed=0):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def loss_fn(logits, targets):
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))

    model.train()
    for _ in range(steps):
        starts = torch.randint(0, len(ids) - seq_len, (batch_size,), generator=generator).tolist()
        inputs = torch.stack([ids[s:s + seq_len] for s in starts])
        targets = torch.stack([ids[s + 1:s + seq_len + 1] for s in starts])
        clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm)
    return model
