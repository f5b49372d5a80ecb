"""Saves the output for backward but then uses it as if it were the input: sigmoid(beta * y)."""
CAUGHT_BY = "test_softplus_passes_gradcheck"
MESSAGE_MENTIONS = "not its output"
MESSAGE_MENTIONS_KO = "출력 y가 아니라 입력 x입니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(torch.autograd.Function):  # noqa: F405
    @staticmethod
    def forward(ctx, x, beta):
        z = beta * x
        y = (torch.relu(z) + torch.log1p(torch.exp(-z.abs()))) / beta  # noqa: F405
        ctx.save_for_backward(y)
        ctx.beta = beta
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(ctx.beta * y), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
