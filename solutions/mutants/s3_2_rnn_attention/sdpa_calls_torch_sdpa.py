"""Calls torch's F.scaled_dot_product_attention instead of writing attention by hand."""
CAUGHT_BY = "test_attention_and_lstm_cell_are_written_by_hand"
MESSAGE_MENTIONS = "F.scaled_dot_product_attention"
MESSAGE_MENTIONS_KO = "F.scaled_dot_product_attention"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask), weights
