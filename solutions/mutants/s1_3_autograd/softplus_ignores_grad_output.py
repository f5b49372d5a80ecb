"""Returns the local derivative sigmoid(beta * x) without multiplying it by grad_output."""
CAUGHT_BY = "test_softplus_backward_multiplies_upstream_gradient"
MESSAGE_MENTIONS = "grad_output"
MESSAGE_MENTIONS_KO = "grad_output"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(Softplus):  # noqa: F405
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return torch.sigmoid(ctx.beta * x), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
