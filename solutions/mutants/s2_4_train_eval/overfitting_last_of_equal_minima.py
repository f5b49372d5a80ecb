"""Keeps the last of equal lowest validation losses (a <= comparison in a loop), not the first."""
CAUGHT_BY = "test_overfitting_report_reads_the_curves"
MESSAGE_MENTIONS = "last of equal"
MESSAGE_MENTIONS_KO = "첫 번째가 아니라 마지막"
MESSAGE_MENTIONS_KO = "첫 번째가 아니라 마지막"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference


def overfitting_report(train_losses, val_losses):
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss <= val_losses[best]:
            best = epoch
    overfitting = val_losses[-1] > val_losses[best] and train_losses[-1] < train_losses[best]
    return best, bool(overfitting)
