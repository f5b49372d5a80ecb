"""Spreads the smoothing mass eps / (C - 1) over the wrong classes only, not eps / C over all of them."""
CAUGHT_BY = "test_cross_entropy_label_smoothing_matches_torch"
MESSAGE_MENTIONS = "true one included"
MESSAGE_MENTIONS_KO = "정답을 포함한 모든 클래스"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_3_losses_optimizers import log_softmax  # noqa: E402


def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0):
    log_probs = log_softmax(logits, dim=-1)
    n_classes = logits.shape[-1]
    keep = target != ignore_index
    safe_target = torch.where(keep, target, torch.zeros_like(target))
    smoothed = torch.full_like(log_probs, label_smoothing / (n_classes - 1))
    smoothed.scatter_(1, safe_target.unsqueeze(1), 1.0 - label_smoothing)
    per_row = -(smoothed * log_probs).sum(dim=1)
    return (per_row * keep).sum() / keep.sum()
