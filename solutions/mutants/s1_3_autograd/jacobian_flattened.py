"""Differentiates the flattened map x.reshape(-1) -> fn(x).reshape(-1): a (outputs, inputs) matrix, not J of shape
fn(x).shape + x.shape (the same only when x and fn(x) are vectors)."""
CAUGHT_BY = "test_jacobian_matches_autograd_functional_jacobian"
MESSAGE_MENTIONS = "flattened"
MESSAGE_MENTIONS_KO = "행렬로 펼쳤습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def jacobian(fn, x):
    return torch.func.jacrev(lambda flat: fn(flat.view_as(x)).reshape(-1))(x.detach().reshape(-1))  # noqa: F405
