"""Sums the squared errors instead of averaging them: every step is len(y) times too long."""
CAUGHT_BY = "test_sgd_fit_follows_exact_gradient_descent"
MESSAGE_MENTIONS = "sums the squared errors"
MESSAGE_MENTIONS_KO = "제곱 오차를 평균하지 않고 합해서"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_fit(w0, x, y, lr, steps):
    w = w0.detach().clone().requires_grad_()
    for _ in range(steps):
        loss = ((x @ w - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():  # noqa: F405
            w -= lr * w.grad
        w.grad = None
    return w
