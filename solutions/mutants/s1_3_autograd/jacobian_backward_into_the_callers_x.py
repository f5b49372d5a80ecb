"""Builds J from one-hot backward passes on the caller's x itself: switches on its requires_grad and leaves the last
row in its .grad, instead of working on a fresh leaf (or with torch.func, which never touches .grad)."""
CAUGHT_BY = "test_jacobian_leaves_the_input_untouched"
MESSAGE_MENTIONS = "changed its input"
MESSAGE_MENTIONS_KO = "입력을 바꿨습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def jacobian(fn, x):
    x.requires_grad_()
    y = fn(x)
    rows = []
    for i in range(y.numel()):
        x.grad = None
        y.reshape(-1)[i].backward(retain_graph=True)
        rows.append(x.grad.clone())
    return torch.stack(rows).reshape(*y.shape, *x.shape)  # noqa: F405
