"""Applies softmax to the logits before the loss, which takes log_softmax itself: the probabilities are squashed twice
and the loss barely moves (one of the most asked questions about nn.CrossEntropyLoss on the PyTorch forums)."""
CAUGHT_BY = "test_cross_entropy_matches_torch"
MESSAGE_MENTIONS = "softmax is applied to the logits before the loss"
MESSAGE_MENTIONS_KO = "그 전에 로짓에 softmax를 적용했습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_3_losses_optimizers import log_softmax  # noqa: E402


def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0):
    log_probs = log_softmax(logits.softmax(dim=-1), dim=-1)
    keep = target != ignore_index
    safe_target = torch.where(keep, target, torch.zeros_like(target))
    nll = -log_probs.gather(1, safe_target.unsqueeze(1)).squeeze(1)
    smooth = -log_probs.mean(dim=1)
    per_row = (1.0 - label_smoothing) * nll + label_smoothing * smooth
    return (per_row * keep).sum() / keep.sum()
