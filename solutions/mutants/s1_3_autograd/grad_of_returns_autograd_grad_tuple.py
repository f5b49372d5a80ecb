"""Returns what torch.autograd.grad returns, a tuple holding the gradient, instead of the gradient itself."""
CAUGHT_BY = "test_grad_of_matches_analytic_derivative"
MESSAGE_MENTIONS = "take [0]"
MESSAGE_MENTIONS_KO = "[0]을 꺼내세요"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def grad_of(fn, x):
    leaf = x.detach().requires_grad_()
    return torch.autograd.grad(fn(leaf), leaf)  # noqa: F405
