"""Divides each micro-batch's loss by its size, len(x), instead of by K = len(xs)."""
CAUGHT_BY = "test_accumulated_grad_sums_every_micro_batch"
MESSAGE_MENTIONS = "divided by its micro-batch's size"
MESSAGE_MENTIONS_KO = "그 마이크로 배치의 크기로 나눴습니다"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def accumulated_grad(w, xs, ys):
    w.grad = None
    for x, y in zip(xs, ys):
        loss = ((x @ w - y) ** 2).mean() / len(x)
        loss.backward()
    return w.grad
