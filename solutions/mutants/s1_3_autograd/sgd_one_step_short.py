"""Loops over range(1, steps): one step too few."""
CAUGHT_BY = "test_sgd_fit_follows_exact_gradient_descent"
MESSAGE_MENTIONS = "one step too few or too many"
MESSAGE_MENTIONS_KO = "한 번 적게 또는 많이 돕니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_fit(w0, x, y, lr, steps):
    w = w0.detach().clone().requires_grad_()
    for _ in range(1, steps):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():  # noqa: F405
            w -= lr * w.grad
        w.grad = None
    return w
