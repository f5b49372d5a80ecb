"""Writes batched_product with torch.mm, which takes 2-D matrices only and raises on a batch."""
CAUGHT_BY = "test_batched_product_broadcasts_batch_axes"
MESSAGE_MENTIONS = "broadcast"
MESSAGE_MENTIONS_KO = "배치 축이 브로드캐스트되어"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def batched_product(a, b):
    return torch.mm(a, b)
