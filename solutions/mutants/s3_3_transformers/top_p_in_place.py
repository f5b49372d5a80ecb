"""Writes -inf into the caller's logits (logits[logits < smallest] = -inf) and returns them."""
CAUGHT_BY = "test_filter_top_p_keeps_the_nucleus"
MESSAGE_MENTIONS = "filtered them in place"
MESSAGE_MENTIONS_KO = "제자리에서"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    ordered = logits.sort(dim=-1, descending=True).values
    probabilities = ordered.softmax(dim=-1)
    before = probabilities.cumsum(dim=-1) - probabilities
    kept = (before < p).sum(dim=-1, keepdim=True).clamp(min=1)
    smallest = ordered.gather(-1, kept - 1)
    logits[logits < smallest] = float("-inf")
    return logits
