"""Takes torch.func.grad of fn(x).sum(): one VJP (v of ones), the sum of J's rows, with x's shape instead of
fn(x).shape + x.shape."""
CAUGHT_BY = "test_jacobian_matches_autograd_functional_jacobian"
MESSAGE_MENTIONS = "fn(x).sum()"
MESSAGE_MENTIONS_KO = "fn(x).sum()"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def jacobian(fn, x):
    return torch.func.grad(lambda t: fn(t).sum())(x.detach())  # noqa: F405
