"""Switches on requires_grad on the caller's x and backpropagates into its .grad."""
CAUGHT_BY = "test_vector_jacobian_product_leaves_the_input_untouched"
MESSAGE_MENTIONS = "changed its input"
MESSAGE_MENTIONS_KO = "입력을 바꿨습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def vector_jacobian_product(fn, x, v):
    x.requires_grad_()
    x.grad = None
    fn(x).backward(v)
    return x.grad
