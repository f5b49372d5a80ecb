"""Uses sigmoid(-beta * x) in backward (the derivative of softplus(-x)): gradcheck must say where it disagrees
most, not print the whole Jacobians."""
CAUGHT_BY = "test_softplus_passes_gradcheck"
MESSAGE_MENTIONS = "largest difference"
MESSAGE_MENTIONS_KO = "가장 큰 차이"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(Softplus):  # noqa: F405
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(-ctx.beta * x), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
