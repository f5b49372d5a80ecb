"""Returns the logits tensor itself when k covers the whole vocabulary, not a new tensor."""
CAUGHT_BY = "test_filter_top_k_keeps_the_k_largest"
MESSAGE_MENTIONS = "not a new tensor"
MESSAGE_MENTIONS_KO = "새 텐서가 아니라"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference


def filter_top_k(logits, k):
    if k >= logits.size(-1):
        return logits
    kth = logits.topk(k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, float("-inf"))
