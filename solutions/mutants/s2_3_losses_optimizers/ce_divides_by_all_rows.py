"""Zeroes the ignored rows but still divides by N, so padding drags the mean loss down."""
CAUGHT_BY = "test_cross_entropy_skips_ignore_index"
MESSAGE_MENTIONS = "not by N"
MESSAGE_MENTIONS_KO = "N으로 나누지 마세요"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_3_losses_optimizers import log_softmax  # noqa: E402


def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0):
    log_probs = log_softmax(logits, dim=-1)
    keep = target != ignore_index
    safe_target = torch.where(keep, target, torch.zeros_like(target))
    nll = -log_probs.gather(1, safe_target.unsqueeze(1)).squeeze(1)
    per_row = (1.0 - label_smoothing) * nll + label_smoothing * -log_probs.mean(dim=1)
    return (per_row * keep).mean()
