"""3.2 written another way: einsum attention with additive float masks, pad_sequence, a GRU/LSTM
chosen at call time, a character-loop tokenizer, heads merged with flatten, pow-based encodings;
clipping, perplexity and the Gumbel-max draw written out by hand, training windows gathered with one index."""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

SPECIALS = ("<pad>", "<unk>", "<bos>", "<eos>")
PAD, UNK, BOS, EOS = range(4)


def tokenize(text):
    tokens, word = [], ""
    for ch in text.lower():
        if ch.isalnum() or ch == "_":
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        if not ch.isspace():
            tokens.append(ch)
    return tokens + ([word] if word else [])


def build_vocab(texts, min_freq=1):
    counts = {}
    for text in texts:
        for token in tokenize(text):
            counts[token] = counts.get(token, 0) + 1
    vocab = {token: i for i, token in enumerate(SPECIALS)}
    for token in sorted(sorted(counts), key=counts.get, reverse=True):  # stable: ties stay alphabetical
        if counts[token] >= min_freq:
            vocab[token] = len(vocab)
    return vocab


def numericalize(text, vocab):
    unk = vocab["<unk>"]
    return torch.tensor([vocab["<bos>"]] + [vocab[t] if t in vocab else unk for t in tokenize(text)]
                        + [vocab["<eos>"]]).long()


def pad_batch(sequences, pad_id=PAD):
    return (pad_sequence(sequences, batch_first=True, padding_value=pad_id),
            torch.tensor(list(map(len, sequences))).long())


class RNNClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes, pad_id=PAD, cell="lstm"):
        super().__init__()
        self.layers = nn.ModuleDict({
            "embed": nn.Embedding(vocab_size, embed_dim, padding_idx=pad_id),
            "rnn": (nn.LSTM if cell == "lstm" else nn.GRU)(embed_dim, hidden_dim, batch_first=True),
            "out": nn.Linear(hidden_dim, num_classes),
        })
        self.cell = cell

    def forward(self, tokens, lengths):
        order = lengths.argsort(descending=True)
        packed = pack_padded_sequence(self.layers["embed"](tokens[order]), lengths[order].cpu(), batch_first=True)
        _, state = self.layers["rnn"](packed)
        last = (state[0] if self.cell == "lstm" else state)[-1]
        return self.layers["out"](last[order.argsort()])


def run_packed_rnn(rnn, inputs, lengths):
    order = torch.argsort(lengths, descending=True)  # sort, pack sorted, then undo the permutation
    packed = pack_padded_sequence(inputs.index_select(0, order), lengths[order].cpu(), batch_first=True)
    output, _ = rnn(packed)
    outputs, _ = pad_packed_sequence(output, batch_first=True, total_length=inputs.shape[1])
    outputs = outputs[torch.argsort(order)]
    last = outputs.gather(1, (lengths - 1).view(-1, 1, 1).expand(-1, 1, outputs.shape[-1])).squeeze(1)
    return outputs, last


def lstm_cell(x, state, weight_ih, weight_hh, bias_ih, bias_hh):
    h, c = state
    hidden = h.shape[-1]
    gates = torch.addmm(bias_ih + bias_hh, torch.cat([x, h], 1), torch.cat([weight_ih, weight_hh], 1).t())
    i = gates[:, :hidden].sigmoid()
    f = gates[:, hidden:2 * hidden].sigmoid()
    g = gates[:, 2 * hidden:3 * hidden].tanh()
    o = gates[:, 3 * hidden:].sigmoid()
    c_next = torch.addcmul(f * c, i, g)
    return o * c_next.tanh(), c_next


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = torch.einsum("...qd,...kd->...qk", q * q.shape[-1] ** -0.5, k)
    if mask is not None:
        scores = scores + torch.zeros_like(mask, dtype=scores.dtype).masked_fill(mask.logical_not(), float("-inf"))
    weights = torch.softmax(scores, -1)
    if mask is not None:  # no key left to attend: zeros, not the NaN of softmax over -inf only
        weights = torch.where(mask.any(-1, keepdim=True), weights, torch.zeros_like(weights))
    return torch.einsum("...qk,...kd->...qd", weights, v), weights


def causal_mask(n, device=None):
    index = torch.arange(n, device=device)
    return index.unsqueeze(0) <= index.unsqueeze(1)


def make_key_padding_mask(lengths, max_len):
    return ~(torch.arange(max_len, device=lengths.device).expand(len(lengths), max_len) < lengths[:, None])


def multi_head_attention(x, num_heads, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias,
                         key_padding_mask=None, causal=False):
    b, t, e = x.shape
    w_q, w_k, w_v = in_proj_weight.split(e)
    b_q, b_k, b_v = in_proj_bias.split(e)
    heads = [(x @ w.T + bias).unflatten(-1, (num_heads, -1)).permute(0, 2, 1, 3)
             for w, bias in ((w_q, b_q), (w_k, b_k), (w_v, b_v))]
    allowed = torch.ones(t, t, dtype=torch.bool, device=x.device)
    if causal:
        allowed = causal_mask(t, x.device)
    allowed = allowed.expand(b, 1, t, t)
    if key_padding_mask is not None:
        allowed = allowed & key_padding_mask.logical_not().view(b, 1, 1, t)
    out, _ = scaled_dot_product_attention(*heads, allowed)
    out = out.permute(0, 2, 1, 3).flatten(2)
    if key_padding_mask is not None:  # outputs at padded queries are free: zero them
        out = out.masked_fill(key_padding_mask.unsqueeze(-1), 0.0)
    return out @ out_proj_weight.T + out_proj_bias


def sinusoidal_positional_encoding(max_len, d_model):
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]
    angle = pos / torch.pow(10000.0, torch.arange(d_model, dtype=torch.float64).div(2, rounding_mode="floor")
                            .mul(2) / d_model)
    pe = torch.where(torch.arange(d_model) % 2 == 0, angle.sin(), angle.cos())
    return pe.float()


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    for parameter in model.parameters():  # the clearing, the norm and the scaling written out by hand
        parameter.grad = None
    loss_fn(model(inputs), targets).backward()
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    total = torch.sqrt(sum((g.double() ** 2).sum() for g in grads))
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        for g in grads:
            g.mul_(scale.to(g.dtype))
    optimizer.step()
    return total.item()


def char_perplexity(model, ids):
    with torch.inference_mode():
        log_probs = torch.log_softmax(model(ids[None, :-1]), dim=-1)[0]
        nll = -log_probs.gather(1, ids[1:, None]).squeeze(1)
    return nll.mean().exp().item()


def sample_with_temperature(logits, temperature, generator):
    # the Gumbel-max trick: argmax(logits / T + Gumbel noise) is a draw from softmax(logits / T)
    uniform = torch.rand(logits.shape, generator=generator, dtype=torch.float64).clamp_min(1e-300)
    return (logits.double() / temperature - torch.log(-torch.log(uniform))).argmax(dim=-1)


def train_char_lm(model, ids, steps=60, seq_len=32, batch_size=16, lr=1e-2, max_norm=1.0, seed=0):
    generator = torch.Generator()
    generator.manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr)
    offsets = torch.arange(seq_len + 1)
    model.train()
    for _ in range(steps):
        windows = ids[torch.randint(len(ids) - seq_len, (batch_size, 1), generator=generator) + offsets]
        clipped_train_step(model, optimizer,
                           lambda logits, target: torch.nn.functional.nll_loss(
                               torch.log_softmax(logits, -1).transpose(1, 2), target),
                           windows[:, :-1], windows[:, 1:], max_norm)
    return model
