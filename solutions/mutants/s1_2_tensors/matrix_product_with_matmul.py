"""Writes matrix_product with `@` (torch.matmul), which silently batches a 3-D input instead of
rejecting it as torch.mm does."""
CAUGHT_BY = "test_matrix_product_is_strictly_two_dimensional"
MESSAGE_MENTIONS = "2-D matrices"
MESSAGE_MENTIONS_KO = "2차원 행렬만"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def matrix_product(a, b):
    return a @ b
