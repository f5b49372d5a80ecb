"""Orders the vocabulary with Counter.most_common(), so tokens of equal count keep the order they were first seen in, not alphabetical."""
CAUGHT_BY = "test_vocab_puts_special_tokens_first"
MESSAGE_MENTIONS = "first seen"
MESSAGE_MENTIONS_KO = "처음 나온 순서대로"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
from collections import Counter  # noqa: E402


def build_vocab(texts, min_freq=1):
    counts = Counter(token for text in texts for token in tokenize(text))
    kept = [token for token, count in counts.most_common() if count >= min_freq]
    return {token: index for index, token in enumerate(list(SPECIALS) + kept)}
