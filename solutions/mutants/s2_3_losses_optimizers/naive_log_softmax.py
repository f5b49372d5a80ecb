"""Computes log(exp(x) / sum(exp(x))) directly: exp overflows to inf for large logits and gives nan."""
CAUGHT_BY = "test_log_softmax_is_stable_on_large_logits"
MESSAGE_MENTIONS = "maximum"
MESSAGE_MENTIONS_KO = "최댓값을 빼세요"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def log_softmax(logits, dim=-1):
    e = logits.exp()
    return (e / e.sum(dim=dim, keepdim=True)).log()
