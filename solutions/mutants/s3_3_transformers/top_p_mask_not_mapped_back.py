"""Computes which sorted positions to remove and applies that mask to the unsorted logits, never scattering it back to the token ids."""
CAUGHT_BY = "test_filter_top_p_keeps_the_nucleus"
MESSAGE_MENTIONS = "never mapped back"
MESSAGE_MENTIONS_KO = "토큰 id 순서로 되돌리지"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    ordered = logits.sort(dim=-1, descending=True).values
    probabilities = ordered.softmax(dim=-1)
    before = probabilities.cumsum(dim=-1) - probabilities
    return logits.masked_fill(before >= p, float("-inf"))
