"""Takes the attention softmax over the queries (dim=-2) instead of over the keys."""
CAUGHT_BY = "test_sdpa_matches_torch"
MESSAGE_MENTIONS = "softmax"
MESSAGE_MENTIONS_KO = "softmax는 마지막 축(키 축)에 대해"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-2)
    return weights @ v, weights
