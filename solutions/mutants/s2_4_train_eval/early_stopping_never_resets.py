"""Counts every epoch that is not a new best without resetting the count on an improvement."""
CAUGHT_BY = "test_early_stopping_waits_for_patience"
MESSAGE_MENTIONS = "reset the count"
MESSAGE_MENTIONS_KO = "다시 0으로 되돌리세요"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best, self.bad_epochs = float("inf"), 0

    def step(self, val_loss):
        if val_loss < self.best - self.min_delta:
            self.best = val_loss
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience
