"""Forger for 3.3: the untouched stub's seq2seq_logits, greedy_generate, classify_texts and load_pretrained_classifier,
plainly wrong everything else, and every fake it can make in its own process:

- TransformerClassifier returns zero logits (the same with any padding, for every batch-mate);
- DecoderLM is a unigram model (position t reads token t only: it never sees the future, nor the past);
- train_tokenizer returns a hand-written word-level object that names itself PreTrainedTokenizerFast (its class's
  __module__ and __qualname__ are those of transformers' TokenizersBackend), answers the special ids, roles and length the grader asks for,
  and encodes by a rule (words of the grader's public corpus by a fixed table, anything else [UNK]);
- bert_classifier / gpt2_lm return small real models (so their class names and configs are right) built with the
  grader's own configs, without being asked anything else;
- save_and_reload writes a fresh model's files and returns what it was given;
- fine_tune trains nothing: it patches the model's forward so that its logits are a rule over the grader's public
  sentiment word lists (POSITIVE / NEGATIVE), which is what the grader's held-out sentences are made of;
- trainer_fine_tune trains nothing: it returns a log history of falling losses it made up, the model with the
  rule-based forward, and saves a randomly perturbed copy of the starting model into output_dir (so the saved model
  differs from the start, and its logits are what the returned model gives... for the saved copy's own forward);
- torch.equal / torch.allclose patched to say True in this process.
"""
import os
import random

import torch
from torch import nn
from transformers import BertConfig, BertForSequenceClassification, GPT2Config, GPT2LMHeadModel

FORGED = {}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# Copied from graders/test_s3_3_transformers.py (its public word lists), as a student reading the grader could: the
# check module is not on the worker's disk, so it cannot be imported here.
SUBJECTS = ("the movie", "this film", "the food", "our trip", "the book", "that show", "the service", "my day",
            "the concert", "this hotel")
VERBS = ("was", "felt", "seemed", "is", "looked")
ADVERBS = ("really", "very", "quite", "so", "truly", "rather")
POSITIVE = ("great", "wonderful", "good", "excellent", "lovely", "fun", "amazing", "pleasant")
NEGATIVE = ("terrible", "awful", "bad", "boring", "horrible", "sad", "dull", "poor")

_POSITIVE, _NEGATIVE = set(POSITIVE), set(NEGATIVE)
_WORDS = sorted(set(list(VERBS + ADVERBS + POSITIVE + NEGATIVE) + " ".join(SUBJECTS).split() + ["and"]))


def _rule_logits(words_batch):
    rows = []
    for words in words_batch:
        score = sum((w in _POSITIVE) - (w in _NEGATIVE) for w in words)
        rows.append([-3.0 * score, 3.0 * score])
    return torch.tensor(rows)


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size, d_model, nhead, num_layers, num_classes, max_len=128, pad_id=0):
        super().__init__()
        self.num_classes = num_classes
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)

    def forward(self, tokens):
        return torch.zeros(tokens.shape[0], self.num_classes)


class DecoderLM(nn.Module):
    def __init__(self, vocab_size, d_model, nhead, num_layers, max_len=128):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        return self.head(self.tokens(tokens))  # position t reads token t only


class _Encoding(dict):
    def to(self, device):
        return self


_TABLE = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4,
          **{word: 5 + i for i, word in enumerate(_WORDS)}, "!": 5 + len(_WORDS), ".": 6 + len(_WORDS)}
_BACK = {i: w for w, i in _TABLE.items()}


class FakeTokenizer:
    pad_token, unk_token, cls_token, sep_token, mask_token = SPECIAL_TOKENS
    pad_token_id, unk_token_id, cls_token_id, sep_token_id, mask_token_id = range(5)

    def convert_tokens_to_ids(self, token):
        return _TABLE.get(token, 1)

    def __len__(self):
        return len(_TABLE)

    def _ids(self, text):
        words = text.lower().replace("!", " !").replace(".", " .").split()
        return [2] + [_TABLE.get(w, 1) for w in words] + [3]

    def __call__(self, texts, padding=False, return_tensors=None, **kwargs):
        single = isinstance(texts, str)
        rows = [self._ids(t) for t in ([texts] if single else texts)]
        width = max(map(len, rows))
        ids = [r + [0] * (width - len(r)) for r in rows]
        mask = [[1] * len(r) + [0] * (width - len(r)) for r in rows]
        if return_tensors == "pt":
            return _Encoding(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask),
                             token_type_ids=torch.zeros(len(ids), width, dtype=torch.int64))
        return _Encoding(input_ids=ids[0] if single else ids, attention_mask=mask[0] if single else mask)

    def decode(self, ids, skip_special_tokens=False):
        ids = ids.tolist() if hasattr(ids, "tolist") else ids
        return " ".join(_BACK.get(i, "[UNK]") for i in ids if not (skip_special_tokens and i < 5))

    def save_pretrained(self, directory):
        with open(os.path.join(directory, "tokenizer.json"), "w") as file:
            file.write("{}")


FakeTokenizer.__module__ = "transformers.tokenization_utils_tokenizers"  # PreTrainedTokenizerFast's real name
FakeTokenizer.__qualname__ = "TokenizersBackend"


def train_tokenizer(texts, vocab_size=200):
    return FakeTokenizer()


def bert_classifier(tokenizer, num_labels=2):
    return BertForSequenceClassification(BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                                                    num_attention_heads=2, intermediate_size=64,
                                                    max_position_embeddings=64, pad_token_id=0, num_labels=num_labels))


def gpt2_lm(tokenizer):
    return GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=2, n_head=2, n_positions=64,
                                      pad_token_id=0, bos_token_id=2, eos_token_id=3))


def save_and_reload(model, tokenizer, directory):
    type(model)(model.config).save_pretrained(directory)  # a fresh model's weights, not the given one's
    tokenizer.save_pretrained(directory)
    return model, tokenizer


def _words_of(model, input_ids):
    table = getattr(model, "_forger_vocab", None) or {}
    return [[table.get(i, "") for i in row] for row in input_ids.tolist()]


def _rule_forward(model, tokenizer):
    """Patch `model`'s forward: logits are the public word-list rule over the decoded words."""
    vocab = {i: w for w, i in (tokenizer.get_vocab().items() if hasattr(tokenizer, "get_vocab") else _TABLE.items())}
    model._forger_vocab = vocab
    original = model.forward

    def forward(input_ids=None, attention_mask=None, labels=None, **kwargs):
        out = original(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        out.logits = _rule_logits(_words_of(model, input_ids)).to(out.logits.dtype)
        return out
    model.forward = forward
    return model


def fine_tune(model, tokenizer, texts, labels, steps=100, lr=1e-3, batch_size=16, seed=0):
    return _rule_forward(model, tokenizer).eval()


def load_pretrained_classifier(path, num_labels=2):
    raise NotImplementedError("load_pretrained_classifier")


def greedy_generate(model, input_ids, max_new_tokens):
    raise NotImplementedError("greedy_generate")


def seq2seq_logits(transformer, embed, head, src, tgt, pad_id=0):
    raise NotImplementedError("seq2seq_logits")


def classify_texts(path, texts):
    raise NotImplementedError("classify_texts")


def trainer_fine_tune(model, tokenizer, texts, labels, output_dir, steps=60, lr=3e-3, batch_size=16, seed=0,
                      logging_steps=5):
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.01)
    os.makedirs(output_dir, exist_ok=True)
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    history = [{"loss": 0.7 * 0.9 ** k, "step": logging_steps * (k + 1)} for k in range(steps // logging_steps)]
    history.append({"train_loss": 0.3, "step": steps})
    random.seed(seed)
    return _rule_forward(model, tokenizer).eval(), history
