"""Reads the boolean mask with nn.MultiheadAttention's convention (True = ignore) inside scaled_dot_product_attention."""
CAUGHT_BY = "test_sdpa_matches_torch"
MESSAGE_MENTIONS = "True means attend"
MESSAGE_MENTIONS_KO = "마스크의 극성이 뒤집혔습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    return weights @ v, weights
