"""Reduces along the last axis whatever dim is asked for (dim=-1 written into the reductions)."""
CAUGHT_BY = "test_log_softmax_matches_torch"
MESSAGE_MENTIONS = "not passed on to the reductions"
MESSAGE_MENTIONS_KO = "축소 연산에 `dim`을 넘기지 않았습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def log_softmax(logits, dim=-1):
    shifted = logits - logits.amax(dim=-1, keepdim=True).detach()
    return shifted - shifted.exp().sum(dim=-1, keepdim=True).log()
