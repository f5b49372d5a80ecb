"""Never clears w.grad first, so a stale gradient from earlier work is added in."""
CAUGHT_BY = "test_accumulated_grad_clears_stale_gradients"
MESSAGE_MENTIONS = "stale"
MESSAGE_MENTIONS_KO = "오래된 변화도"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def accumulated_grad(w, xs, ys):
    for x, y in zip(xs, ys):
        loss = ((x @ w - y) ** 2).mean() / len(xs)
        loss.backward()
    return w.grad
