"""Divides the attention scores by d instead of sqrt(d)."""
CAUGHT_BY = "test_sdpa_matches_torch"
MESSAGE_MENTIONS = "sqrt"
MESSAGE_MENTIONS_KO = "sqrt"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / q.size(-1)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    return weights @ v, weights
