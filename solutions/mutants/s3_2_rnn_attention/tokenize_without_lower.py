"""Splits the text right but never lower-cases it, so 'The' and 'the' are two tokens."""
CAUGHT_BY = "test_tokenize_splits_words_and_punctuation"
MESSAGE_MENTIONS = "not lower-cased"
MESSAGE_MENTIONS_KO = "소문자로 바꾸지 않아서"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import re  # noqa: E402


def tokenize(text):
    return re.findall(r"\w+|[^\w\s]", text)
