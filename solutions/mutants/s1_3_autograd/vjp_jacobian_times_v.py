"""Computes J v (forward mode, torch.func.jvp) where v^T J was asked for."""
CAUGHT_BY = "test_vector_jacobian_product_matches_v_transpose_j"
MESSAGE_MENTIONS = "Jacobian-vector product"
MESSAGE_MENTIONS_KO = "야코비안-벡터 곱"
import torch  # noqa: E402

from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def vector_jacobian_product(fn, x, v):
    _, product = torch.func.jvp(fn, (x,), (v,))
    return product
