"""Writes the backward as sigmoid(x), forgetting the beta of the chain rule."""
CAUGHT_BY = "test_softplus_passes_gradcheck"
MESSAGE_MENTIONS = "beta inside the sigmoid"
MESSAGE_MENTIONS_KO = "sigmoid 안의 beta"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(Softplus):  # noqa: F405
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(x), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
