"""Cumulates the sorted logits instead of their probabilities (the softmax is missing)."""
CAUGHT_BY = "test_filter_top_p_keeps_the_nucleus"
MESSAGE_MENTIONS = "adds up logits, not probabilities"
MESSAGE_MENTIONS_KO = "softmax가 빠졌습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    ordered = logits.sort(dim=-1, descending=True).values
    before = ordered.cumsum(dim=-1) - ordered
    kept = (before < p).sum(dim=-1, keepdim=True).clamp(min=1)
    smallest = ordered.gather(-1, kept - 1)
    return logits.masked_fill(logits < smallest, float("-inf"))
