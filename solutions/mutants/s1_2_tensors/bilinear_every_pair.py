"""Writes the batched bilinear form as x @ w @ y.T, the matrix of every pair of rows, instead of one value per
row (the diagonal): the classic confusion of a batched product with a matrix product."""
# Batched x^T W y with matmul gives (B, B): https://pytorch.org/docs/stable/generated/torch.einsum.html
CAUGHT_BY = "test_einsum_products"
MESSAGE_MENTIONS = "every pair of rows"
MESSAGE_MENTIONS_KO = "모든 행 쌍의"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def bilinear(x, w, y):
    return x @ w @ y.T
