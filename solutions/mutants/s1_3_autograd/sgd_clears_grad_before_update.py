"""Clears w.grad between backward() and the update: every step subtracts zero and w never moves."""
CAUGHT_BY = "test_sgd_fit_follows_exact_gradient_descent"
MESSAGE_MENTIONS = "w is still w0"
MESSAGE_MENTIONS_KO = "w가 여전히 w0와 같습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_fit(w0, x, y, lr, steps):
    w = w0.detach().clone().requires_grad_()
    for _ in range(steps):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        w.grad.zero_()
        with torch.no_grad():  # noqa: F405
            w -= lr * w.grad
    return w
