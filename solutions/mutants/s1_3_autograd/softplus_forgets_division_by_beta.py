"""Returns the stable softplus of beta * x without dividing it by beta."""
CAUGHT_BY = "test_softplus_forward_matches_torch"
MESSAGE_MENTIONS = "the division by beta is missing"
MESSAGE_MENTIONS_KO = "beta로 나누는 부분이 빠졌습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


class Softplus(torch.autograd.Function):  # noqa: F405
    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x)
        ctx.beta = beta
        z = beta * x
        return torch.relu(z) + torch.log1p(torch.exp(-z.abs()))  # noqa: F405

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(ctx.beta * x), None  # noqa: F405


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
