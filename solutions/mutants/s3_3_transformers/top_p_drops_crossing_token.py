"""Keeps tokens while the running total, their own probability included, is below p."""
CAUGHT_BY = "test_filter_top_p_keeps_the_nucleus"
MESSAGE_MENTIONS = "cross p"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    ordered = logits.sort(dim=-1, descending=True).values
    kept = (ordered.softmax(dim=-1).cumsum(dim=-1) < p).sum(dim=-1, keepdim=True).clamp(min=1)
    smallest = ordered.gather(-1, kept - 1)
    return logits.masked_fill(logits < smallest, float("-inf"))
