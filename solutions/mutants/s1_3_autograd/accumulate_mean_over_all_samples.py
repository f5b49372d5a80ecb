"""Sums each micro-batch's squared errors and divides by the total number of samples: the full-batch mean, which weighs micro-batches by size."""
CAUGHT_BY = "test_accumulated_grad_sums_every_micro_batch"
MESSAGE_MENTIONS = "mean over all samples"
MESSAGE_MENTIONS_KO = "모든 샘플에 대한 평균"
from solutions.s1_3_autograd import *  # noqa: E402,F401,F403 - the rest of the reference


def accumulated_grad(w, xs, ys):
    w.grad = None
    for x, y in zip(xs, ys):
        loss = ((x @ w - y) ** 2).sum() / sum(len(t) for t in ys)
        loss.backward()
    return w.grad
