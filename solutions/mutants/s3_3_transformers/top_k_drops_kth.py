"""Masks logits <= kth, so the k-th largest logit itself is removed and only k - 1 tokens stay."""
CAUGHT_BY = "test_filter_top_k_keeps_the_k_largest"
MESSAGE_MENTIONS = "logits <= kth"
MESSAGE_MENTIONS_KO = "logits <= kth라서"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_k(logits, k):
    kth = logits.topk(min(k, logits.size(-1)), dim=-1).values[..., -1:]
    return logits.masked_fill(logits <= kth, float("-inf"))
