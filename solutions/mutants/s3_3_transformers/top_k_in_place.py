"""Filters the caller's logits in place with masked_fill_ and returns them."""
CAUGHT_BY = "test_filter_top_k_keeps_the_k_largest"
MESSAGE_MENTIONS = "filtered them in place"
MESSAGE_MENTIONS_KO = "제자리에서"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_k(logits, k):
    kth = logits.topk(min(k, logits.size(-1)), dim=-1).values[..., -1:]
    return logits.masked_fill_(logits < kth, float("-inf"))
