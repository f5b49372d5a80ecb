"""Computes sigmoid first and clamps each log at -100 as nn.BCELoss does: the loss stays finite but is
wrong for logits beyond +-100, and the gradient through the saturated sigmoid is 0."""
CAUGHT_BY = "test_bce_with_logits_is_stable_on_extreme_logits"
MESSAGE_MENTIONS = "saturate"
MESSAGE_MENTIONS_KO = "정확히 1.0으로 포화"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def bce_with_logits(logits, target, pos_weight=None):
    p = torch.sigmoid(logits)
    weight = 1.0 if pos_weight is None else pos_weight
    log_p, log_not_p = torch.log(p).clamp(min=-100), torch.log(1 - p).clamp(min=-100)
    return -(weight * target * log_p + (1 - target) * log_not_p).mean()
