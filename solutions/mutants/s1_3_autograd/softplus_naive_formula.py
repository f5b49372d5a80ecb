"""Uses the textbook log(1 + exp(beta x)) and exp/(1 + exp): inf and nan for large inputs."""
CAUGHT_BY = "test_softplus_is_stable_for_large_inputs"
MESSAGE_MENTIONS = "overflows"
MESSAGE_MENTIONS_KO = "inf로 오버플로됩니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(torch.autograd.Function):  # noqa: F405
    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x)
        ctx.beta = beta
        return torch.log(1 + torch.exp(beta * x)) / beta  # noqa: F405

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        e = torch.exp(ctx.beta * x)  # noqa: F405
        return grad_output * e / (1 + e), None


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
