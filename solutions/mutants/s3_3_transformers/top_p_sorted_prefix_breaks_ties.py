"""Keeps the sorted prefix by index, so a token tied with the nucleus's last is dropped."""
CAUGHT_BY = "test_filter_top_p_keeps_the_nucleus"
MESSAGE_MENTIONS = "sort's order"
MESSAGE_MENTIONS_KO = "정렬 순서가 결정했습니다"
from solutions.s3_3_transformers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def filter_top_p(logits, p):
    if p >= 1:
        return logits.clone()
    ordered, index = logits.sort(dim=-1, descending=True)
    probabilities = ordered.softmax(dim=-1)
    remove = probabilities.cumsum(dim=-1) - probabilities >= p
    remove[..., 0] = False
    return torch.full_like(logits, float("-inf")).scatter(-1, index, ordered.masked_fill(remove, float("-inf")))
