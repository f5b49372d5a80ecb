"""Sums the elements' losses instead of averaging them (nn.BCEWithLogitsLoss's default is the mean)."""
CAUGHT_BY = "test_bce_with_logits_matches_torch"
MESSAGE_MENTIONS = "summed, not averaged"
MESSAGE_MENTIONS_KO = "평균하지 않고 합했습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def bce_with_logits(logits, target, pos_weight=None):
    log_p = -(torch.clamp(-logits, min=0) + torch.log1p(torch.exp(-logits.abs())))
    log_not_p = log_p - logits
    weight = 1.0 if pos_weight is None else pos_weight
    return -(weight * target * log_p + (1 - target) * log_not_p).sum()
