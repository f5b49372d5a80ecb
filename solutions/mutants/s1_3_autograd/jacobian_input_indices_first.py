"""Builds J from one-hot VJPs but stacks them as columns (input indices first): the transpose of J, d fn(x)[i] / d x[j]
stored at [j, i], which for a map from (n,) to (n,) has the right shape and the wrong values."""
CAUGHT_BY = "test_jacobian_matches_autograd_functional_jacobian"
MESSAGE_MENTIONS = "transpose"
MESSAGE_MENTIONS_KO = "전치된 값입니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def jacobian(fn, x):
    leaf = x.detach().requires_grad_()
    y = fn(leaf)
    columns = []
    for i in range(y.numel()):
        one_hot = torch.zeros(y.numel(), dtype=y.dtype)  # noqa: F405
        one_hot[i] = 1.0
        (vjp,) = torch.autograd.grad(y, leaf, grad_outputs=one_hot.view_as(y), retain_graph=True)  # noqa: F405
        columns.append(vjp)
    return torch.stack(columns, dim=-1).reshape(*x.shape, *y.shape)  # noqa: F405
