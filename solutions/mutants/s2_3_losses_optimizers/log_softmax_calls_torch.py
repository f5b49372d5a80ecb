"""Calls torch's own F.log_softmax instead of writing the stable log-softmax by hand."""
CAUGHT_BY = "test_log_softmax_and_cross_entropy_are_written_by_hand"
MESSAGE_MENTIONS = "calls torch's own"
MESSAGE_MENTIONS_KO = "torch의 함수를 호출합니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402


def log_softmax(logits, dim=-1):
    return F.log_softmax(logits, dim=dim)
