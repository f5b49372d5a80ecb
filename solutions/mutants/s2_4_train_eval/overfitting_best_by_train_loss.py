"""Picks the best epoch where the training loss is lowest (the last epoch of a run that keeps fitting)."""
CAUGHT_BY = "test_overfitting_report_reads_the_curves"
MESSAGE_MENTIONS = "training loss is lowest"
MESSAGE_MENTIONS_KO = "학습 손실이 가장 낮은 곳"
MESSAGE_MENTIONS_KO = "학습 손실이 가장 낮은 곳"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference


def overfitting_report(train_losses, val_losses):
    best = min(range(len(train_losses)), key=lambda epoch: train_losses[epoch])
    overfitting = val_losses[-1] > val_losses[best] and train_losses[-1] < train_losses[best]
    return best, bool(overfitting)
