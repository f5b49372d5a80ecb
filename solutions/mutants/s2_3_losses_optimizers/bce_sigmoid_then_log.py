"""Computes sigmoid first and then log(p) and log(1 - p): sigmoid saturates to exactly 1.0 in float32
for large logits, so log(1 - p) is -inf and the loss is inf."""
CAUGHT_BY = "test_bce_with_logits_is_stable_on_extreme_logits"
MESSAGE_MENTIONS = "saturate"
MESSAGE_MENTIONS_KO = "정확히 1.0으로 포화"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def bce_with_logits(logits, target, pos_weight=None):
    p = torch.sigmoid(logits)
    weight = 1.0 if pos_weight is None else pos_weight
    return -(weight * target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()
