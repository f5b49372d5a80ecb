"""EarlyStopping.step returns True when it should stop and falls off its end otherwise: None where the docstring's
example shows False."""
CAUGHT_BY = "test_early_stopping_waits_for_patience"
MESSAGE_MENTIONS = "None where False was meant"
MESSAGE_MENTIONS_KO = "False여야 할 곳에 None입니다"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.bad_epochs = 0

    def step(self, val_loss):
        if val_loss < self.best - self.min_delta:
            self.best = val_loss
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs >= self.patience:
            return True
