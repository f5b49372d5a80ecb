"""Backpropagates from fn(x).sum(), leaving v out: v^T J only for v of ones."""
CAUGHT_BY = "test_vector_jacobian_product_matches_v_transpose_j"
MESSAGE_MENTIONS = "v was left out"
MESSAGE_MENTIONS_KO = "v를 쓰지 않았는데"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def vector_jacobian_product(fn, x, v):
    leaf = x.detach().requires_grad_()
    fn(leaf).sum().backward()
    return leaf.grad
