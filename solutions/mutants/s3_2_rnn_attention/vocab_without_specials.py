"""Builds the vocabulary from the corpus alone, without the <pad> <unk> <bos> <eos> special tokens."""
CAUGHT_BY = "test_vocab_puts_special_tokens_first"
MESSAGE_MENTIONS = "special"
MESSAGE_MENTIONS_KO = "특수 토큰"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
from collections import Counter  # noqa: E402


def build_vocab(texts, min_freq=1):
    counts = Counter(token for text in texts for token in tokenize(text))
    kept = sorted((t for t, n in counts.items() if n >= min_freq), key=lambda t: (-counts[t], t))
    return {token: index for index, token in enumerate(kept)}
