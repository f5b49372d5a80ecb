"""Cumulates the probabilities in vocabulary order, without sorting them first."""
CAUGHT_BY = "test_filter_top_p_keeps_the_nucleus"
MESSAGE_MENTIONS = "without sorting them first"
MESSAGE_MENTIONS_KO = "정렬하지 않고"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    probabilities = logits.softmax(dim=-1)
    before = probabilities.cumsum(dim=-1) - probabilities
    return logits.masked_fill(before >= p, float("-inf"))
