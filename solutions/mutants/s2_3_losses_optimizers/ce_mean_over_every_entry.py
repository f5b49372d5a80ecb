"""Averages one_hot * log-probabilities over the whole (N, C) table, which divides the loss by N * C instead of N."""
CAUGHT_BY = "test_cross_entropy_matches_torch"
MESSAGE_MENTIONS = "divided by N * C"
MESSAGE_MENTIONS_KO = "N * C로 나눴습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0):
    log_probs = log_softmax(logits, dim=-1)
    keep = (target != ignore_index).to(log_probs.dtype)
    one_hot = torch.nn.functional.one_hot(target.clamp(min=0), logits.shape[1]).to(log_probs.dtype)
    smoothed = (1 - label_smoothing) * one_hot + label_smoothing / logits.shape[1]
    return -(smoothed * log_probs * keep[:, None]).mean()
