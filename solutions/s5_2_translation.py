"""5.2 Transformer translation: reference solution."""
import math
import os
from collections import Counter
from pathlib import Path

import sacrebleu
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pad_sequence

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
SPECIALS = [PAD, UNK, BOS, EOS]
PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3


# -- data ------------------------------------------------------------------------------------------------
def read_parallel(path: str) -> list[tuple[str, str]]:
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            source, target = line.split("\t", 1)
            pairs.append((source.strip(), target.strip()))
    return pairs


def tokenize_source(text: str) -> list[str]:
    return text.lower().split()


def tokenize_target(text: str) -> list[str]:
    return list(" ".join(text.split()))


def build_vocab(token_lists: list[list[str]]) -> dict[str, int]:
    counts = Counter(token for tokens in token_lists for token in tokens if token not in SPECIALS)
    ordered = sorted(counts, key=lambda token: (-counts[token], token))
    return {token: index for index, token in enumerate(SPECIALS + ordered)}


def encode(tokens: list[str], vocab: dict[str, int]) -> list[int]:
    return [vocab.get(token, UNK_ID) for token in tokens]


def encode_pairs(pairs, src_vocab, tgt_vocab):
    return [(encode(tokenize_source(s), src_vocab), encode(tokenize_target(t), tgt_vocab)) for s, t in pairs]


def decode_target(ids, vocab: dict[str, int]) -> str:
    itos = {index: token for token, index in vocab.items()}
    tokens = []
    for index in ids:
        index = int(index)
        if index == EOS_ID:
            break
        if index not in (PAD_ID, BOS_ID):
            tokens.append(itos.get(index, UNK))
    return "".join(tokens)


def collate(batch) -> dict[str, torch.Tensor]:
    src = pad_sequence([torch.tensor(s, dtype=torch.int64) for s, _ in batch], batch_first=True,
                       padding_value=PAD_ID)
    tgt_in = pad_sequence([torch.tensor([BOS_ID] + t, dtype=torch.int64) for _, t in batch], batch_first=True,
                          padding_value=PAD_ID)
    tgt_out = pad_sequence([torch.tensor(t + [EOS_ID], dtype=torch.int64) for _, t in batch], batch_first=True,
                           padding_value=PAD_ID)
    return {"src": src, "src_padding_mask": src == PAD_ID, "tgt_in": tgt_in, "tgt_out": tgt_out,
            "tgt_padding_mask": tgt_out == PAD_ID}


# -- model -----------------------------------------------------------------------------------------------
class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, max_len: int):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        frequency = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        table = torch.zeros(max_len, d_model)
        table[:, 0::2] = torch.sin(position * frequency)
        table[:, 1::2] = torch.cos(position * frequency)
        self.register_buffer("table", table, persistent=False)

    def forward(self, x):
        return x + self.table[: x.shape[1]]


def _embed(model, embedding, tokens):
    """Token embeddings scaled by sqrt(d_model), plus positions, then dropout (as in "Attention Is All You Need")."""
    return model.dropout(model.positions(embedding(tokens) * math.sqrt(model.d_model)))


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab_size, tgt_vocab_size, d_model=64, nhead=4, num_encoder_layers=2,
                 num_decoder_layers=2, dim_feedforward=128, dropout=0.1, max_len=64):
        super().__init__()
        self.d_model = d_model
        self.src_embedding = nn.Embedding(src_vocab_size, d_model, padding_idx=PAD_ID)
        self.tgt_embedding = nn.Embedding(tgt_vocab_size, d_model, padding_idx=PAD_ID)
        self.positions = PositionalEncoding(d_model, max_len)
        self.dropout = nn.Dropout(dropout)
        self.transformer = nn.Transformer(d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward,
                                          dropout, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab_size)

    def encode(self, src):
        return self.transformer.encoder(_embed(self, self.src_embedding, src), src_key_padding_mask=src == PAD_ID)

    def decode(self, tgt_in, memory, src):
        causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.shape[1], device=tgt_in.device)
        hidden = self.transformer.decoder(_embed(self, self.tgt_embedding, tgt_in), memory, tgt_mask=causal,
                                          tgt_is_causal=True, memory_key_padding_mask=src == PAD_ID)
        return self.generator(hidden)

    def forward(self, src, tgt_in):
        return self.decode(tgt_in, self.encode(src), src)


# -- training --------------------------------------------------------------------------------------------
def sequence_loss(model, batch, label_smoothing=0.1):
    logits = model(batch["src"], batch["tgt_in"])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["tgt_out"].reshape(-1),
                           ignore_index=PAD_ID, label_smoothing=label_smoothing)


def train_translator(pairs, src_vocab, tgt_vocab, steps=300, batch_size=64, lr=1e-3, seed=0):
    torch.manual_seed(seed)
    model = Seq2SeqTransformer(len(src_vocab), len(tgt_vocab))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    encoded = encode_pairs(pairs, src_vocab, tgt_vocab)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    step, order = 0, []
    while step < steps:
        if len(order) < batch_size:
            order += torch.randperm(len(encoded), generator=generator).tolist()
        batch = collate([encoded[i] for i in order[:batch_size]])
        del order[:batch_size]
        loss = sequence_loss(model, batch)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
    return model.eval()


# -- decoding --------------------------------------------------------------------------------------------
@torch.no_grad()
def greedy_decode(model, src, max_len=24):
    memory = model.encode(src)
    tokens = torch.full((src.shape[0], 1), BOS_ID, dtype=torch.int64, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        next_token = model.decode(tokens, memory, src)[:, -1].argmax(-1)
        next_token = next_token.masked_fill(done, PAD_ID)
        tokens = torch.cat([tokens, next_token[:, None]], dim=1)
        done |= next_token == EOS_ID
        if done.all():
            break
    outputs = []
    for row in tokens[:, 1:].tolist():
        ids = []
        for token in row:
            if token == PAD_ID:
                break
            ids.append(token)
            if token == EOS_ID:
                break
        outputs.append(ids)
    return outputs


@torch.no_grad()
def beam_search(model, src, beam_size=4, max_len=24, length_penalty=1.0):
    src = src.unsqueeze(0)
    memory = model.encode(src)
    beams = [([BOS_ID], 0.0)]
    finished = []
    for _ in range(max_len):
        prefixes = torch.tensor([tokens for tokens, _ in beams], device=src.device)
        log_probs = model.decode(prefixes, memory.expand(len(beams), -1, -1), src.expand(len(beams), -1))[:, -1]
        log_probs = log_probs.log_softmax(-1).cpu()
        candidates = []
        for (tokens, score), row in zip(beams, log_probs):
            top = row.topk(beam_size)
            candidates += [(tokens + [int(i)], score + float(v)) for v, i in zip(top.values, top.indices)]
        candidates.sort(key=lambda c: c[1], reverse=True)
        beams = []
        for tokens, score in candidates[:beam_size]:
            (finished if tokens[-1] == EOS_ID else beams).append((tokens, score))
        if not beams:
            break

    def normalised(hypothesis):
        tokens, score = hypothesis
        return score / (len(tokens) - 1) ** length_penalty

    return max(finished or beams, key=normalised)[0][1:]


# -- evaluation ------------------------------------------------------------------------------------------
def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    return sacrebleu.corpus_bleu(hypotheses, [references], tokenize="char").score


def exact_match(hypotheses: list[str], references: list[str]) -> float:
    return sum(h.strip() == r.strip() for h, r in zip(hypotheses, references, strict=True)) / len(references)


# -- Hugging Face ----------------------------------------------------------------------------------------
def fine_tune_seq2seq(model_dir, pairs, out_dir, steps=40, lr=3e-3, batch_size=16):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    os.environ["HF_HUB_OFFLINE"] = "1"
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    losses = []
    for step in range(steps):
        start = step * batch_size % len(pairs)
        chunk = (pairs + pairs)[start:start + batch_size]
        batch = tokenizer([s for s, _ in chunk], text_target=[t for _, t in chunk], padding=True,
                          return_tensors="pt")
        batch["labels"] = batch["labels"].masked_fill(batch["labels"] == tokenizer.pad_token_id, -100)
        loss = model(**batch).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return losses
