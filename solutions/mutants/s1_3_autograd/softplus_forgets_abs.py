"""Writes relu(z) + log1p(exp(-z)), the stable form without |z|: right for z >= 0 only."""
CAUGHT_BY = "test_softplus_forward_matches_torch"
MESSAGE_MENTIONS = "the abs is missing"
MESSAGE_MENTIONS_KO = "절댓값이 빠졌습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(torch.autograd.Function):  # noqa: F405
    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x)
        ctx.beta = beta
        z = beta * x
        return (torch.relu(z) + torch.log1p(torch.exp(-z))) / beta  # noqa: F405

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(ctx.beta * x), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
