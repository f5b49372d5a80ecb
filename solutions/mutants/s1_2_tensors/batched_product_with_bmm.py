"""Writes batched_product with torch.bmm, which needs two 3-D batches of the same size and so
does not broadcast (a shared 2-D b, or batch axes (2, 1) against (5,))."""
CAUGHT_BY = "test_batched_product_broadcasts_batch_axes"
MESSAGE_MENTIONS = "broadcast"
MESSAGE_MENTIONS_KO = "배치 축을 브로드캐스트"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def batched_product(a, b):
    return torch.bmm(a, b)
