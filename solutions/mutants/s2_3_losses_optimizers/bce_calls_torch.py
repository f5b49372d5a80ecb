"""Calls torch's own F.binary_cross_entropy_with_logits instead of writing the loss by hand."""
CAUGHT_BY = "test_bce_with_logits_is_written_by_hand"
MESSAGE_MENTIONS = "calls torch's own"
MESSAGE_MENTIONS_KO = "torch의 함수를 호출합니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402


def bce_with_logits(logits, target, pos_weight=None):
    return F.binary_cross_entropy_with_logits(logits, target, pos_weight=pos_weight)
