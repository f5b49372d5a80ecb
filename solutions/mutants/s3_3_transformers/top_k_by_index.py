"""Keeps exactly k tokens, chosen by topk's indices: a token tied with the k-th is dropped."""
CAUGHT_BY = "test_filter_top_k_keeps_the_k_largest"
MESSAGE_MENTIONS = "tied"
MESSAGE_MENTIONS_KO = "값이 같은 토큰이 빠졌습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def filter_top_k(logits, k):
    top = logits.topk(min(k, logits.size(-1)), dim=-1)
    return torch.full_like(logits, float("-inf")).scatter(-1, top.indices, top.values)
