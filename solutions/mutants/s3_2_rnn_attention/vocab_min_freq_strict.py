"""Keeps tokens seen more than min_freq times (count > min_freq), dropping those seen exactly min_freq times."""
CAUGHT_BY = "test_vocab_puts_special_tokens_first"
MESSAGE_MENTIONS = "count > min_freq"
MESSAGE_MENTIONS_KO = "count > min_freq로 비교했습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
from collections import Counter  # noqa: E402


def build_vocab(texts, min_freq=1):
    counts = Counter(token for text in texts for token in tokenize(text))
    kept = sorted((t for t, n in counts.items() if n > min_freq), key=lambda t: (-counts[t], t))
    return {token: index for index, token in enumerate(list(SPECIALS) + kept)}
