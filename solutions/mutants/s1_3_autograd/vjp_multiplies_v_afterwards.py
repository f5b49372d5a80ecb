"""Multiplies the gradient of fn(x).sum() by v afterwards, instead of passing v into backward."""
CAUGHT_BY = "test_vector_jacobian_product_matches_v_transpose_j"
MESSAGE_MENTIONS = "multiplied by v afterwards"
MESSAGE_MENTIONS_KO = "나중에 v를 곱했습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def vector_jacobian_product(fn, x, v):
    leaf = x.detach().requires_grad_()
    fn(leaf).sum().backward()
    return leaf.grad * v
