"""Writes the trace as einsum('ij->'), which sums every element instead of the diagonal."""
CAUGHT_BY = "test_einsum_products"
MESSAGE_MENTIONS = "diagonal"
MESSAGE_MENTIONS_KO = "대각 성분을 더합니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def trace(m):
    return torch.einsum("ij->", m)
