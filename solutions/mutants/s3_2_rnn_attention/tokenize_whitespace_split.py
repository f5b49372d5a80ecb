"""Tokenizes with str.split(), so punctuation stays glued to the words ("panic,")."""
CAUGHT_BY = "test_tokenize_splits_words_and_punctuation"
MESSAGE_MENTIONS = "whitespace only"
MESSAGE_MENTIONS_KO = "공백으로만 나눠서"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def tokenize(text):
    return text.lower().split()
