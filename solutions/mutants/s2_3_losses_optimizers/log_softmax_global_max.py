"""Subtracts the maximum of the whole tensor (logits.max()) instead of each slice's along dim: a row far below it underflows to log(0)."""
CAUGHT_BY = "test_log_softmax_is_stable_on_large_logits"
MESSAGE_MENTIONS = "taken over the whole tensor"
MESSAGE_MENTIONS_KO = "텐서 전체에서 구했습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def log_softmax(logits, dim=-1):
    shifted = logits - logits.max()
    return shifted - shifted.exp().sum(dim=dim, keepdim=True).log()
