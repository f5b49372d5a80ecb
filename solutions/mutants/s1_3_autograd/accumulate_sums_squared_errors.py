"""Writes each micro-batch's loss with .sum() instead of .mean()."""
CAUGHT_BY = "test_accumulated_grad_sums_every_micro_batch"
MESSAGE_MENTIONS = "its loss is .sum(), not .mean()"
MESSAGE_MENTIONS_KO = "손실에 .mean()이 아니라 .sum()을 썼습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def accumulated_grad(w, xs, ys):
    w.grad = None
    for x, y in zip(xs, ys):
        loss = ((x @ w - y) ** 2).sum() / len(xs)
        loss.backward()
    return w.grad
