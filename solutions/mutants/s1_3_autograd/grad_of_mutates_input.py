"""Switches on requires_grad on the caller's tensor and backpropagates into its .grad."""
CAUGHT_BY = "test_grad_of_leaves_the_input_untouched"
MESSAGE_MENTIONS = "requires_grad"
MESSAGE_MENTIONS_KO = "requires_grad"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def grad_of(fn, x):
    x.requires_grad_()
    x.grad = None
    fn(x).backward()
    return x.grad
