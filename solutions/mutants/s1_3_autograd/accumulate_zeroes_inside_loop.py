"""Zeroes the gradient inside the micro-batch loop, so only the last micro-batch counts."""
CAUGHT_BY = "test_accumulated_grad_sums_every_micro_batch"
MESSAGE_MENTIONS = "not inside it"
MESSAGE_MENTIONS_KO = "루프 안이 아니라 루프 전에"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def accumulated_grad(w, xs, ys):
    for x, y in zip(xs, ys):
        w.grad = None
        loss = ((x @ w - y) ** 2).mean() / len(xs)
        loss.backward()
    return w.grad
