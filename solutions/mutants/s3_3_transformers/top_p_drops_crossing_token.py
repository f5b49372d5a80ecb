"""Keeps tokens while the running total, their own probability included, is below p."""
CAUGHT_BY = "test_filter_top_p_keeps_the_nucleus"
MESSAGE_MENTIONS = "cross p"
MESSAGE_MENTIONS_KO = "p를 넘어서게 만드는 토큰이 빠졌습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    ordered = logits.sort(dim=-1, descending=True).values
    kept = (ordered.softmax(dim=-1).cumsum(dim=-1) < p).sum(dim=-1, keepdim=True).clamp(min=1)
    smallest = ordered.gather(-1, kept - 1)
    return logits.masked_fill(logits < smallest, float("-inf"))
