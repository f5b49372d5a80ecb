"""Leaves the softmax of a query whose keys are all masked as it is: NaN weights and output, not 0."""
CAUGHT_BY = "test_sdpa_fully_masked_query_attends_to_nothing"
MESSAGE_MENTIONS = "all masked"
MESSAGE_MENTIONS_KO = "가중치와 출력이 NaN"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    return weights @ v, weights
