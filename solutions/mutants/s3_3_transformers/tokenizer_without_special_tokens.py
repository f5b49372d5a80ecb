"""Trains and wraps the tokenizer without special tokens: no [PAD] to pad with, no [CLS] / [SEP]."""
CAUGHT_BY = "test_tokenizer_has_special_tokens"
MESSAGE_MENTIONS = "special_tokens"
MESSAGE_MENTIONS_KO = "special_tokens"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402


def train_tokenizer(texts, vocab_size=200):
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size))
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer)
