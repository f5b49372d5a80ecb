"""5.2 Project: Transformer translation — English number words to Korean numerals, then Hugging Face.

You build a whole neural machine translation pipeline and train it on a corpus the kit makes offline:
English number words to Korean (Sino-Korean) numerals in words, for 1..99,999.

    "three hundred twelve"                      -> "삼백십이"
    "forty thousand five"                       -> "사만 오"
    "twelve thousand three hundred forty five"  -> "만 이천삼백사십오"

(English: lower case, single spaces, no "and", no hyphens. Korean: the "일" of 십/백/천/만 is left
out, and one space separates the part above 만 from the part below it.) The generator and the fixed,
disjoint train / validation / test splits are in `ptgrade/items/s5_2_translation.py`
(`make_splits(seed)`); `read_parallel` below reads any tab-separated parallel file instead.

The pipeline, in the order of the functions below:
1. data: read pairs, tokenise (English by words, Korean by characters), build one vocabulary per
   side with the special tokens <pad> <unk> <bos> <eos> at ids 0-3, encode, and `collate` a batch
   with padding, the shifted decoder input and target, and the padding masks;
2. the model: `Seq2SeqTransformer`, embeddings + positional encoding + `nn.Transformer`;
3. training with teacher forcing: `sequence_loss` (label smoothing, padding ignored), `train_translator`;
4. decoding: `greedy_decode` and `beam_search` (length-normalised scores);
5. evaluation: BLEU with `sacrebleu` and exact match;
6. Hugging Face: `fine_tune_seq2seq` loads a seq2seq model and its tokenizer with `from_pretrained`
   from a local directory, fine-tunes it, and saves it with `save_pretrained`.

Masks: `nn.Transformer` reads a boolean mask as True = *ignore* (the opposite of
`F.scaled_dot_product_attention`). Everything runs offline: with internet you could point
`fine_tune_seq2seq` at a hub model such as "Helsinki-NLP/opus-mt-en-ko" — the code is the same.

Run `ptgrade check 5.2` to grade your code and `ptgrade run 5.2` to train it for real (`--smoke` for a
one-minute run, `--epochs N`, `--data file.tsv`, `--out DIR`; a second run resumes from the checkpoint).
"""
import math  # noqa: F401
import os  # noqa: F401
from collections import Counter  # noqa: F401
from pathlib import Path  # noqa: F401

import sacrebleu  # noqa: F401
import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn
from torch.nn.utils.rnn import pad_sequence  # noqa: F401

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
SPECIALS = [PAD, UNK, BOS, EOS]
PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3


# -- data ------------------------------------------------------------------------------------------------
def read_parallel(path: str) -> list[tuple[str, str]]:
    """Read a UTF-8 tab-separated file with one `source<TAB>target` pair per line and return the list of
    `(source, target)` tuples in file order. Blank lines are skipped; surrounding whitespace of each side
    is stripped."""
    raise NotImplementedError("read_parallel")


def tokenize_source(text: str) -> list[str]:
    """English side: lower-case words. `"  Forty thousand   FIVE "` -> `["forty", "thousand", "five"]`."""
    raise NotImplementedError("tokenize_source")


def tokenize_target(text: str) -> list[str]:
    """Korean side: one token per character, the space included as a `" "` token. Runs of whitespace
    become one space and the ends are stripped: `" 사만  오 "` -> `["사", "만", " ", "오"]`. Joining the
    tokens with `""` gives the normalised text back."""
    raise NotImplementedError("tokenize_target")


def build_vocab(token_lists: list[list[str]]) -> dict[str, int]:
    """A vocabulary `token -> id`: SPECIALS get ids 0-3 in that order; then every other token that occurs
    in `token_lists`, ordered by count (most frequent first) and, for equal counts, by the token itself
    (so the vocabulary is the same on every run). A special token found in the data is not added twice."""
    raise NotImplementedError("build_vocab")


def encode_pairs(pairs: list[tuple[str, str]], src_vocab: dict[str, int],
                 tgt_vocab: dict[str, int]) -> list[tuple[list[int], list[int]]]:
    """For each `(english, korean)` pair: `(source ids, target ids)`, the English tokenised with
    `tokenize_source` and numbered with `src_vocab`, the Korean with `tokenize_target` and `tgt_vocab`.
    A token missing from its vocabulary becomes UNK_ID. No <bos> / <eos> here (`collate` adds them)."""
    raise NotImplementedError("encode_pairs")


def decode_target(ids, vocab: dict[str, int]) -> str:
    """Target ids (a list or a 1-d tensor) back to text: skip <pad> and <bos>, stop at the first <eos>, and
    join the tokens with `""` (the space is a token of its own)."""
    raise NotImplementedError("decode_target")


def collate(batch: list[tuple[list[int], list[int]]]) -> dict[str, torch.Tensor]:
    """A batch of `(source ids, target ids)` as padded int64 tensors (padding value PAD_ID):

    - `"src"`: (B, S) the sources, S the longest source;
    - `"tgt_in"`: (B, T) `[BOS_ID] + target` — what the decoder reads (teacher forcing);
    - `"tgt_out"`: (B, T) `target + [EOS_ID]` — what it must predict, one step ahead of `tgt_in`;
    - `"src_padding_mask"`: `src == PAD_ID`, `"tgt_padding_mask"`: `tgt_out == PAD_ID` (bool, True = padding).
    T is the longest target plus one.
    """
    raise NotImplementedError("collate")


# -- model -----------------------------------------------------------------------------------------------
class Seq2SeqTransformer(nn.Module):
    """An encoder-decoder Transformer: `forward(src (B, S), tgt_in (B, T)) -> logits (B, T, tgt_vocab_size)`.

    - separate token embeddings for the two sides (`nn.Embedding(..., d_model, padding_idx=PAD_ID)`,
      scaled by sqrt(d_model)), plus a positional encoding (sinusoidal or learned, for up to `max_len`
      positions) and dropout;
    - `nn.Transformer(d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward, dropout,
      batch_first=True)` (or your own blocks with the same behaviour);
    - `nn.Linear(d_model, tgt_vocab_size)` on the decoder's output.

    Also expose the two halves, which the decoders use:
    - `encode(src) -> memory (B, S, d_model)`, the encoder run with `src_key_padding_mask = src == PAD_ID`;
    - `decode(tgt_in, memory, src) -> logits (B, T, tgt_vocab_size)`, the decoder run with a causal
      `tgt_mask` (`nn.Transformer.generate_square_subsequent_mask(T, device=...)`, `tgt_is_causal=True`)
      and `memory_key_padding_mask = src == PAD_ID`.
    `forward(src, tgt_in)` is `decode(tgt_in, encode(src), src)`. Promises: the logits at position t do
    not depend on target tokens after t; extra <pad> columns in `src` change nothing; the order of the
    source tokens matters.
    """

    def __init__(self, src_vocab_size: int, tgt_vocab_size: int, d_model: int = 64, nhead: int = 4,
                 num_encoder_layers: int = 2, num_decoder_layers: int = 2, dim_feedforward: int = 128,
                 dropout: float = 0.1, max_len: int = 64):
        super().__init__()
        raise NotImplementedError("Seq2SeqTransformer")

    def encode(self, src: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Seq2SeqTransformer.encode")

    def decode(self, tgt_in: torch.Tensor, memory: torch.Tensor, src: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Seq2SeqTransformer.decode")

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Seq2SeqTransformer.forward")


# -- training --------------------------------------------------------------------------------------------
def sequence_loss(model: nn.Module, batch: dict[str, torch.Tensor], label_smoothing: float = 0.1) -> torch.Tensor:
    """Teacher forcing: call `model(batch["src"], batch["tgt_in"])` once and return the mean cross-entropy of
    its logits against `batch["tgt_out"]`, over real (non-<pad>) target positions only, with
    `label_smoothing` — a scalar tensor that can be back-propagated."""
    raise NotImplementedError("sequence_loss")


def train_translator(pairs: list[tuple[str, str]], src_vocab: dict[str, int], tgt_vocab: dict[str, int],
                     steps: int = 300, batch_size: int = 64, lr: float = 1e-3, seed: int = 0) -> nn.Module:
    """Train a `Seq2SeqTransformer(len(src_vocab), len(tgt_vocab))` (default sizes) on `pairs` and return
    it in eval mode. Seed with `torch.manual_seed(seed)` first; use `torch.optim.AdamW(lr=lr)`; draw
    batches of `batch_size` pairs in a shuffled order (a `torch.Generator` seeded with `seed`, reshuffled
    when the pairs run out), `collate` them, and take exactly `steps` optimizer steps of `sequence_loss`
    (zero_grad, backward, optionally clip the gradient norm to 1, step).

    The bar it must reach: the grader trains it for 200 steps (batch_size 32, lr 2e-3) on 700 pairs of numbers
    up to 999, with every English word and Korean character renamed for the run, then translates 150 new sources
    with `greedy_decode`: at least 30% must match exactly and the character BLEU must reach 50."""
    raise NotImplementedError("train_translator")


# -- decoding --------------------------------------------------------------------------------------------
def greedy_decode(model: nn.Module, src: torch.Tensor, max_len: int = 24) -> list[list[int]]:
    """Greedy decoding of a padded batch `src` (B, S): start each row from `[BOS_ID]`, and at each step
    append the argmax of `model.decode(tokens, memory, src)[:, -1]`, where `memory = model.encode(src)`.
    The memory does not change while decoding, so encode once, before the loop (calling `model(src,
    tokens)` at each step gives the same ids, only slower: it encodes again every step).
    Return, per row, the generated ids after <bos>: up to and including the first <eos>, or `max_len`
    ids if no <eos> came. No gradients are needed (`torch.no_grad()`)."""
    raise NotImplementedError("greedy_decode")


def beam_search(model: nn.Module, src: torch.Tensor, beam_size: int = 4, max_len: int = 24,
                length_penalty: float = 1.0) -> list[int]:
    """Beam search for ONE source `src` (S,) without padding; returns the best hypothesis's ids after <bos>
    (ending with <eos> when it has one), like one row of `greedy_decode`.

    Start from the beam `[[BOS_ID]]`. At each step extend every prefix of the beam by every token, score
    each extension by its total log-probability (`log_softmax` of `model.decode(...)[:, -1]`, summed
    along the prefix) and keep the `beam_size` best extensions overall. Those ending in <eos> are
    finished and leave the beam (the beam shrinks); the others are the next beam. Stop after `max_len`
    steps or when the beam is empty. Return the finished hypothesis (or, if none finished, the prefix
    of the last beam) with the best length-normalised score `total log-probability / len(ids) **
    length_penalty`, where `ids` counts the generated tokens with the <eos>; `length_penalty=0` ranks
    by the raw total.
    With `beam_size=1` this is exactly greedy decoding. A wider beam usually finds a hypothesis that
    scores at least as well as greedy's (the grader checks it on its inputs), though beam search gives
    no such guarantee in general: the greedy path can fall out of the beam."""
    raise NotImplementedError("beam_search")


# -- evaluation ------------------------------------------------------------------------------------------
def corpus_bleu(hypotheses: list[str], references: list[str]) -> float:
    """Corpus BLEU (0-100) of `hypotheses` against one reference each, computed by sacrebleu with
    character tokenisation, which suits Korean: sacrebleu's own corpus score, not an average of
    sentence scores."""
    raise NotImplementedError("corpus_bleu")


def exact_match(hypotheses: list[str], references: list[str]) -> float:
    """The fraction (0-1) of hypotheses equal to their reference after `strip()`."""
    raise NotImplementedError("exact_match")


# -- Hugging Face ----------------------------------------------------------------------------------------
def fine_tune_seq2seq(model_dir: str, pairs: list[tuple[str, str]], out_dir: str, steps: int = 40,
                      lr: float = 3e-3, batch_size: int = 16) -> list[float]:
    """Fine-tune a Hugging Face seq2seq model stored in the local directory `model_dir` and return the loss
    of every step (a list of `steps` floats).

    - Load the tokenizer with `AutoTokenizer.from_pretrained(model_dir)` and the model with
      `AutoModelForSeq2SeqLM.from_pretrained(model_dir)` (a local directory: nothing is downloaded);
    - step i trains on the batch `pairs[i*batch_size:(i+1)*batch_size]`, taking the pairs in order and
      starting again from the beginning when they run out;
    - the tokenizer, called on the sources with the targets as its text target, pads the batch and
      gives `input_ids`, `attention_mask` and `labels`; set the padded label positions to -100 so the loss ignores them, and
      let the model build its decoder input from the labels (`model(**batch).loss`);
    - `torch.optim.AdamW(model.parameters(), lr=lr)`, the model in train mode;
    - at the end `save_pretrained(out_dir)` both the model and the tokenizer.

    The bar it must reach: after 40 steps (lr 3e-3, batch_size 16) on a tiny BART the grader builds, the saved
    weights give a loss on the training pairs of at most 60% of the pretrained model's.
    """
    raise NotImplementedError("fine_tune_seq2seq")
