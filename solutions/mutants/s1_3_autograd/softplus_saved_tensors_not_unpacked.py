"""Writes x = ctx.saved_tensors in backward: x is then the tuple, not the saved tensor."""
CAUGHT_BY = "test_softplus_backward_multiplies_upstream_gradient"
MESSAGE_MENTIONS = "x, = ctx.saved_tensors"
MESSAGE_MENTIONS_KO = "x, = ctx.saved_tensors"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(Softplus):  # noqa: F405
    @staticmethod
    def backward(ctx, grad_output):
        x = ctx.saved_tensors
        return grad_output * torch.sigmoid(ctx.beta * x), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
