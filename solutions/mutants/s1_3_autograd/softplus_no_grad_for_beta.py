"""Returns only the gradient for x, forgetting the None for the float input beta."""
CAUGHT_BY = "test_softplus_passes_gradcheck"
MESSAGE_MENTIONS = "None for the float beta"
MESSAGE_MENTIONS_KO = "float인 beta에는 None입니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(Softplus):  # noqa: F405
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(ctx.beta * x)  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
