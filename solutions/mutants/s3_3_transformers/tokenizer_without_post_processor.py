"""Registers the special tokens but adds no post-processor, so encodings lack [CLS] ... [SEP]."""
CAUGHT_BY = "test_tokenizer_wraps_and_pads_sentences"
MESSAGE_MENTIONS = "TemplateProcessing"
MESSAGE_MENTIONS_KO = "TemplateProcessing"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402


def train_tokenizer(texts, vocab_size=200):
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS))
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="[PAD]", unk_token="[UNK]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
