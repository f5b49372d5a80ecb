"""Returns one gradient from backward although forward takes two inputs (x and beta): the stability check must
name that mistake, not overflow."""
CAUGHT_BY = "test_softplus_is_stable_for_large_inputs"
MESSAGE_MENTIONS = "one gradient per input of forward"
MESSAGE_MENTIONS_KO = "변화도를 하나씩, 같은 순서로"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(Softplus):  # noqa: F405
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(ctx.beta * x)  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
