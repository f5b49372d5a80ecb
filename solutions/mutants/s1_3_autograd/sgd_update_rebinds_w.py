"""Updates with w = w - lr * w.grad outside no_grad: w becomes a non-leaf without .grad."""
CAUGHT_BY = "test_sgd_fit_follows_exact_gradient_descent"
MESSAGE_MENTIONS = "no_grad"
MESSAGE_MENTIONS_KO = "no_grad"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_fit(w0, x, y, lr, steps):
    w = w0.detach().clone().requires_grad_()
    for _ in range(steps):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        w = w - lr * w.grad
    return w
