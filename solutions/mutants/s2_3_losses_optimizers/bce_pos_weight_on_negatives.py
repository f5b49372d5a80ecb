"""Applies pos_weight to the negative term (1 - y) * log(1 - p) instead of the positive one."""
CAUGHT_BY = "test_bce_with_logits_matches_torch"
MESSAGE_MENTIONS = "pos_weight"
MESSAGE_MENTIONS_KO = "pos_weight"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def bce_with_logits(logits, target, pos_weight=None):
    log_p = -(torch.clamp(-logits, min=0) + torch.log1p(torch.exp(-logits.abs())))
    log_not_p = log_p - logits
    weight = 1.0 if pos_weight is None else pos_weight
    return -(target * log_p + weight * (1 - target) * log_not_p).mean()
