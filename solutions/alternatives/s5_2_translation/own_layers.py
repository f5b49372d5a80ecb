"""5.2 in another style: csv-free manual parsing, regex tokenisation, a model wired from separate
nn.TransformerEncoder / nn.TransformerDecoder stacks (pre-norm, learned positions, boolean masks),
a masked-mean loss from per-token losses, greedy decoding through forward(), a tensorised beam search,
a BLEU through sacrebleu's BLEU object, and fine-tuning with explicit decoder inputs."""
import re
from collections import Counter

import sacrebleu
import torch
import torch.nn.functional as F
from torch import nn

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
SPECIALS = [PAD, UNK, BOS, EOS]
PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3


def read_parallel(path):
    out = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            left, right = raw.rstrip("\r\n").split("\t", maxsplit=1)
            out.append((left.strip(), right.strip()))
    return out


def tokenize_source(text):
    return re.findall(r"\S+", text.lower())


def tokenize_target(text):
    return list(re.sub(r"\s+", " ", text).strip())


def build_vocab(token_lists):
    counts = Counter()
    for tokens in token_lists:
        counts.update(t for t in tokens if t not in SPECIALS)
    vocab = dict(zip(SPECIALS, range(len(SPECIALS))))
    for token, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        vocab[token] = len(vocab)
    return vocab


def encode_pairs(pairs, src_vocab, tgt_vocab):
    def ids(tokens, vocab):
        return [vocab[t] if t in vocab else UNK_ID for t in tokens]
    return [(ids(tokenize_source(s), src_vocab), ids(tokenize_target(t), tgt_vocab)) for s, t in pairs]


def decode_target(ids, vocab):
    itos = [None] * len(vocab)
    for token, index in vocab.items():
        itos[index] = token
    text = []
    for index in (ids.tolist() if torch.is_tensor(ids) else ids):
        if index == EOS_ID:
            break
        if index in (PAD_ID, BOS_ID):
            continue
        text.append(itos[index])
    return "".join(text)


def collate(batch):
    size = len(batch)
    src_len = max(len(s) for s, _ in batch)
    tgt_len = max(len(t) for _, t in batch) + 1
    src = torch.full((size, src_len), PAD_ID, dtype=torch.long)
    tgt_in = torch.full((size, tgt_len), PAD_ID, dtype=torch.long)
    tgt_out = torch.full((size, tgt_len), PAD_ID, dtype=torch.long)
    for row, (s, t) in enumerate(batch):
        src[row, :len(s)] = torch.tensor(s, dtype=torch.long)
        tgt_in[row, :len(t) + 1] = torch.tensor([BOS_ID, *t], dtype=torch.long)
        tgt_out[row, :len(t) + 1] = torch.tensor([*t, EOS_ID], dtype=torch.long)
    return dict(src=src, tgt_in=tgt_in, tgt_out=tgt_out, src_padding_mask=src.eq(PAD_ID),
                tgt_padding_mask=tgt_out.eq(PAD_ID))


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab_size, tgt_vocab_size, d_model=64, nhead=4, num_encoder_layers=2,
                 num_decoder_layers=2, dim_feedforward=128, dropout=0.1, max_len=64):
        super().__init__()
        self.scale = d_model ** 0.5
        self.src_tokens = nn.Embedding(src_vocab_size, d_model, padding_idx=PAD_ID)
        self.tgt_tokens = nn.Embedding(tgt_vocab_size, d_model, padding_idx=PAD_ID)
        self.src_positions = nn.Embedding(max_len, d_model)
        self.tgt_positions = nn.Embedding(max_len, d_model)
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True, norm_first=True),
            num_encoder_layers, norm=nn.LayerNorm(d_model), enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, batch_first=True, norm_first=True),
            num_decoder_layers, norm=nn.LayerNorm(d_model))
        self.head = nn.Linear(d_model, tgt_vocab_size)

    def _embed(self, tokens, table, positions):
        where = torch.arange(tokens.shape[1], device=tokens.device)
        return self.drop(table(tokens) * self.scale + positions(where))

    def encode(self, src):
        return self.encoder(self._embed(src, self.src_tokens, self.src_positions), src_key_padding_mask=src.eq(PAD_ID))

    def decode(self, tgt_in, memory, src):
        length = tgt_in.shape[1]
        future = torch.ones(length, length, dtype=torch.bool, device=tgt_in.device).triu(1)  # True = may not attend
        hidden = self.decoder(self._embed(tgt_in, self.tgt_tokens, self.tgt_positions), memory, tgt_mask=future,
                              memory_key_padding_mask=src.eq(PAD_ID))
        return self.head(hidden)

    def forward(self, src, tgt_in):
        memory = self.encode(src)
        return self.decode(tgt_in, memory, src)


def sequence_loss(model, batch, label_smoothing=0.1):
    logits = model(batch["src"], batch["tgt_in"])
    targets = batch["tgt_out"]
    per_token = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none", label_smoothing=label_smoothing)
    real = targets.ne(PAD_ID)
    return (per_token * real).sum() / real.sum()


def train_translator(pairs, src_vocab, tgt_vocab, steps=300, batch_size=64, lr=1e-3, seed=0):
    torch.manual_seed(seed)
    model = Seq2SeqTransformer(len(src_vocab), len(tgt_vocab))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    data = encode_pairs(pairs, src_vocab, tgt_vocab)
    generator = torch.Generator().manual_seed(seed)
    taken = 0
    while taken < steps:
        for chunk in torch.randperm(len(data), generator=generator).split(batch_size):
            if taken == steps:
                break
            model.train()
            optimizer.zero_grad(set_to_none=True)
            sequence_loss(model, collate([data[i] for i in chunk.tolist()])).backward()
            optimizer.step()
            taken += 1
    model.eval()
    return model


@torch.inference_mode()
def greedy_decode(model, src, max_len=24):
    tokens = torch.full((len(src), 1), BOS_ID, dtype=torch.long, device=src.device)
    results = [None] * len(src)
    for _ in range(max_len):
        step = model(src, tokens)[:, -1].argmax(-1, keepdim=True)
        tokens = torch.cat([tokens, step], 1)
        for row in range(len(src)):
            if results[row] is None and step[row, 0] == EOS_ID:
                results[row] = tokens[row, 1:].tolist()
        if all(r is not None for r in results):
            break
    return [r if r is not None else tokens[row, 1:max_len + 1].tolist() for row, r in enumerate(results)]


@torch.inference_mode()
def beam_search(model, src, beam_size=4, max_len=24, length_penalty=1.0):
    src = src[None]
    memory = model.encode(src)
    prefixes = torch.full((1, 1), BOS_ID, dtype=torch.long, device=src.device)
    scores = torch.zeros(1, device=src.device)
    done = []
    for _ in range(max_len):
        count = len(prefixes)
        log_probs = model.decode(prefixes, memory.expand(count, -1, -1), src.expand(count, -1))[:, -1].log_softmax(-1)
        totals = (scores[:, None] + log_probs).flatten()
        best, flat = totals.topk(min(beam_size, totals.numel()))
        vocab = log_probs.shape[-1]
        rows, tokens = flat // vocab, flat % vocab
        grown = torch.cat([prefixes[rows], tokens[:, None]], 1)
        ended = tokens.eq(EOS_ID)
        done += [(grown[i, 1:].tolist(), float(best[i])) for i in ended.nonzero().flatten().tolist()]
        prefixes, scores = grown[~ended], best[~ended]
        if len(prefixes) == 0:
            break
    pool = done or [(p[1:].tolist(), float(s)) for p, s in zip(prefixes, scores)]
    return max(pool, key=lambda h: h[1] / len(h[0]) ** length_penalty)[0]


def corpus_bleu(hypotheses, references):
    return sacrebleu.metrics.BLEU(tokenize="char").corpus_score(hypotheses, [references]).score


def exact_match(hypotheses, references):
    if not references:
        return 0.0
    same = [h.strip() == r.strip() for h, r in zip(hypotheses, references)]
    return sum(same) / len(references)


def fine_tune_seq2seq(model_dir, pairs, out_dir, steps=40, lr=3e-3, batch_size=16):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir, local_files_only=True)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    history = []
    cursor = 0
    for _ in range(steps):
        chunk = [pairs[(cursor + j) % len(pairs)] for j in range(batch_size)]
        cursor = (cursor + batch_size) % len(pairs)
        encoded = tokenizer([s for s, _ in chunk], text_target=[t for _, t in chunk], padding="longest",
                            return_tensors="pt")
        labels = encoded.pop("labels")
        labels[labels == tokenizer.pad_token_id] = -100
        output = model(**encoded, labels=labels)
        output.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        history.append(float(output.loss.detach()))
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return history
