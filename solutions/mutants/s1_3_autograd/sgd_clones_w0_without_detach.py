"""Starts from w0.clone(): for a w0 that requires grad that copy is not a leaf, so w.grad stays None."""
CAUGHT_BY = "test_sgd_fit_returns_a_trainable_leaf"
MESSAGE_MENTIONS = "detach"
MESSAGE_MENTIONS_KO = "detach"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_fit(w0, x, y, lr, steps):
    w = w0.clone().requires_grad_()
    for _ in range(steps):
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w
