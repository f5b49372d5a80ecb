"""Keeps the input as ctx.x = x instead of ctx.save_for_backward(x)."""
CAUGHT_BY = "test_softplus_saves_tensors_with_save_for_backward"
MESSAGE_MENTIONS = "save_for_backward"
MESSAGE_MENTIONS_KO = "save_for_backward"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(torch.autograd.Function):  # noqa: F405
    @staticmethod
    def forward(ctx, x, beta):
        ctx.x = x
        ctx.beta = beta
        z = beta * x
        return (torch.relu(z) + torch.log1p(torch.exp(-z.abs()))) / beta  # noqa: F405

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * torch.sigmoid(ctx.beta * ctx.x), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
