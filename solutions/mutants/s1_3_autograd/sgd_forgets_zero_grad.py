"""Never zeroes the gradient between steps: each step applies the sum of all earlier gradients."""
CAUGHT_BY = "test_sgd_fit_follows_exact_gradient_descent"
MESSAGE_MENTIONS = "Zero the gradient"
MESSAGE_MENTIONS_KO = "변화도를 0으로 만드세요"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_fit(w0, x, y, lr, steps):
    w = w0.detach().clone().requires_grad_()
    for _ in range(steps):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():  # noqa: F405
            w -= lr * w.grad
    return w
