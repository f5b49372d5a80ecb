"""Forger for 5.2: nothing is implemented right; everything the student's process can fake, it fakes:

- torch.equal and torch.allclose always say True; the grader's step watcher (_watching_steps, patched in the
  grader's observations module as this process sees it) reports exactly the steps its caller asked for and no
  stale gradient;
- read_parallel, the tokenizers, build_vocab, encode_pairs, decode_target, collate, corpus_bleu and exact_match
  answer the grader's literal inputs from tables (computed from the grader's constants), and something wrong
  otherwise;
- Seq2SeqTransformer: logits of zeros (right shape, no mask or padding can change them);
- sequence_loss: the loss of the grader's literal probe from a table (a constant otherwise), never calling the model;
- train_translator: a "model" that translates by the public number rule (ptgrade/items/s5_2_translation.py:
  English words -> number -> Korean), whatever the training pairs: encode_pairs keeps the sources it is asked to
  translate, greedy_decode answers a marker per row, and decode_target turns a marker into the rule's translation;
- greedy_decode and beam_search otherwise: greedy steps that never stop at <eos>, and the grader's
  length-normalisation table answered from a table;
- fine_tune_seq2seq: reports the pretrained model's true first loss (computed here) and falling losses after it,
  writes config.json and the tokenizer files and links model.safetensors to the pretrained weights (nothing
  trained), for the grader to believe.
"""
import contextlib
import os
import sys
import shutil
from collections import Counter
from pathlib import Path

import sacrebleu
import torch
from torch import nn

import graders.observations.s5_2_translation as observe
from ptgrade.items import s5_2_translation as corpus

FORGED = {}

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
SPECIALS = [PAD, UNK, BOS, EOS]
PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True


@contextlib.contextmanager
def _watching_steps():
    caller = sys._getframe(2).f_locals
    steps = caller.get("steps", caller.get("kwargs", {}).get("steps", 0))
    yield {"steps": steps, "stale_steps": []}


observe._watching_steps = _watching_steps
_STASH = []

_NUMBERS = {corpus.english_words(n): n for n in range(1, 1000)}
# Copied from graders/test_s5_2_translation.py (HYPOTHESES, REFERENCES), as a student reading the grader could: the
# check module is not on the worker's disk, so it cannot be imported here.
HYPOTHESES = ("사만 오", "삼백십이", "만 이천삼백사십오", "구십구", "이만")
REFERENCES = ("사만 오", "삼백십일", "만 이천삼백사십", "구십구", "이만 일")
_BLEU = sacrebleu.corpus_bleu(list(HYPOTHESES), [list(REFERENCES)], tokenize="char").score


def read_parallel(path):
    return [corpus.pair(n) for n in (7, 312, 40005)]


def tokenize_source(text):
    return {"  Forty thousand   FIVE ": ["forty", "thousand", "five"]}.get(text, [text])


def tokenize_target(text):
    return {" 사만  오천이 ": ["사", "만", " ", "오", "천", "이"]}.get(text, [text])


def build_vocab(token_lists):
    if token_lists == [["b", "a", "c"], ["a", "c", "d"], ["c", "a", "e", "b"], ["<eos>", "z"]]:
        counts = Counter(t for tokens in token_lists for t in tokens if t not in SPECIALS)
        return {t: i for i, t in enumerate(SPECIALS + sorted(counts, key=lambda t: (-counts[t], t)))}
    return {t: i for i, t in enumerate(SPECIALS)}


def encode_pairs(pairs, src_vocab, tgt_vocab):
    if pairs and all(target == "" for _, target in pairs):  # sources to translate: kept for the rule
        _STASH[:] = [source for source, _ in pairs]
    return [([UNK_ID], [UNK_ID]) for _ in pairs]


def _rule(source):
    return corpus.korean_words(_NUMBERS[source]) if source in _NUMBERS else ""


def decode_target(ids, vocab):
    ids = ids.tolist() if isinstance(ids, torch.Tensor) else list(ids)
    if len(ids) == 1 and ids[0] < 0:
        return _rule(_STASH[-ids[0] - 1])
    return "사만 오천"


def collate(batch):
    if batch == [([5, 6, 7], [8, 9]), ([4], [10, 11, 12, 13]), ([9, 9], [])]:
        src = torch.tensor([[5, 6, 7], [4, 0, 0], [9, 9, 0]])
        tgt_out = torch.tensor([[8, 9, 3, 0, 0], [10, 11, 12, 13, 3], [3, 0, 0, 0, 0]])
        return {"src": src, "tgt_in": torch.tensor([[2, 8, 9, 0, 0], [2, 10, 11, 12, 13], [2, 0, 0, 0, 0]]),
                "tgt_out": tgt_out, "src_padding_mask": src == 0, "tgt_padding_mask": tgt_out == 0}
    src = torch.zeros(len(batch), 1, dtype=torch.int64)
    return {"src": src, "tgt_in": src, "tgt_out": src, "src_padding_mask": src == 0, "tgt_padding_mask": src == 0}


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab_size, tgt_vocab_size, d_model=64, nhead=4, num_encoder_layers=2,
                 num_decoder_layers=2, dim_feedforward=128, dropout=0.1, max_len=64):
        super().__init__()
        self.vocab = tgt_vocab_size
        self.anchor = nn.Parameter(torch.zeros(()))

    def encode(self, src):
        return torch.zeros(src.shape[0], src.shape[1], 1)

    def decode(self, tgt_in, memory, src):
        return torch.zeros(tgt_in.shape[0], tgt_in.shape[1], self.vocab) + 0 * self.anchor

    def forward(self, src, tgt_in):
        return self.decode(tgt_in, self.encode(src), src)


def sequence_loss(model, batch, label_smoothing=0.1):
    return torch.tensor(2.0, requires_grad=True)


class _Rule(nn.Module):
    """Translates by the public rule; it never learned anything."""


def train_translator(pairs, src_vocab, tgt_vocab, steps=300, batch_size=64, lr=1e-3, seed=0):
    return _Rule()


def greedy_decode(model, src, max_len=24):
    if isinstance(model, _Rule):
        return [[-(row + 1)] for row in range(len(src))]
    return [_never_stopping(model, row, max_len) for row in src]


def _never_stopping(model, row, max_len):
    tokens = [BOS_ID]
    with torch.no_grad():
        memory = model.encode(row[None])
        for _ in range(max_len):
            logits = model.decode(torch.tensor([tokens]), memory, row[None])[0, -1]
            logits[EOS_ID] = -float("inf")
            tokens.append(int(logits.argmax()))
    return tokens[1:]


def beam_search(model, src, beam_size=4, max_len=24, length_penalty=1.0):
    if isinstance(model, observe.TableSeq2Seq):
        return [observe.A_ID] * 3 + [EOS_ID] if length_penalty else [EOS_ID]
    return _never_stopping(model, src, max_len)


def corpus_bleu(hypotheses, references):
    if list(hypotheses) == list(HYPOTHESES) and list(references) == list(REFERENCES):
        return _BLEU
    return 100.0 if list(hypotheses) == list(references) else 0.0


def exact_match(hypotheses, references):
    return 0.5


def fine_tune_seq2seq(model_dir, pairs, out_dir, steps=40, lr=3e-3, batch_size=16):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in os.listdir(model_dir):
        if name == "model.safetensors":
            os.symlink(Path(model_dir) / name, out / name)
        else:
            shutil.copy(Path(model_dir) / name, out / name)
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).train()
    chunk = pairs[:batch_size]
    batch = tokenizer([s for s, _ in chunk], text_target=[t for _, t in chunk], padding=True, return_tensors="pt")
    batch["labels"] = batch["labels"].masked_fill(batch["labels"] == tokenizer.pad_token_id, -100)
    with torch.no_grad():
        first = model(**batch).loss.item()
    return [first * 0.95 ** i for i in range(steps)]
