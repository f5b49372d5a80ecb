"""Sums the micro-batch losses without dividing by their number K."""
CAUGHT_BY = "test_accumulated_grad_sums_every_micro_batch"
MESSAGE_MENTIONS = "Divide each loss by K"
MESSAGE_MENTIONS_KO = "마이크로 배치 수 K로 나누세요"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def accumulated_grad(w, xs, ys):
    w.grad = None
    for x, y in zip(xs, ys):
        ((x @ w - y) ** 2).mean().backward()
    return w.grad
