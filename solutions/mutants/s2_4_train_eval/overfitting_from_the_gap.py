"""Calls a validation loss above the training loss over-fitting: nearly every model has that gap."""
CAUGHT_BY = "test_overfitting_report_reads_the_curves"
MESSAGE_MENTIONS = "above the training loss"
MESSAGE_MENTIONS_KO = "학습 손실보다 높게"
MESSAGE_MENTIONS_KO = "검증 손실이 학습 손실보다 높게"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference


def overfitting_report(train_losses, val_losses):
    best = min(range(len(val_losses)), key=lambda epoch: val_losses[epoch])
    return best, bool(val_losses[-1] > train_losses[-1])
