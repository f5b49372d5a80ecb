"""Indexes log_probs[:, target]: an (N, N) table of every row's log-probability of every row's class, not one per row."""
CAUGHT_BY = "test_cross_entropy_matches_torch"
MESSAGE_MENTIONS = "(N, N) table"
MESSAGE_MENTIONS_KO = "(N, N) 표를 만듭니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0):
    log_probs = log_softmax(logits, dim=-1)
    keep = target != ignore_index
    safe_target = torch.where(keep, target, torch.zeros_like(target))
    nll = -log_probs[:, safe_target]
    smooth = -log_probs.mean(dim=1)
    per_row = (1.0 - label_smoothing) * nll + label_smoothing * smooth
    return (per_row * keep).sum() / keep.sum()
