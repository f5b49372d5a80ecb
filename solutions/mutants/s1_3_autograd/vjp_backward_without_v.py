"""Calls y.backward() on a y that is not a scalar, with no v."""
CAUGHT_BY = "test_vector_jacobian_product_matches_v_transpose_j"
MESSAGE_MENTIONS = "y.backward(v)"
MESSAGE_MENTIONS_KO = "y.backward(v)"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def vector_jacobian_product(fn, x, v):
    leaf = x.detach().requires_grad_()
    fn(leaf).backward()
    return leaf.grad
