"""Logs the validation accuracy as "val_accuracy" instead of "val_acc"."""
CAUGHT_BY = "test_metrics_csv_has_expected_names"
MESSAGE_MENTIONS = "'val_acc'"
MESSAGE_MENTIONS_KO = "'val_acc'"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DigitsClassifier as _Reference  # noqa: E402
from torch.nn import functional as F  # noqa: E402


class DigitsClassifier(_Reference):
    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_accuracy", (logits.argmax(-1) == y).float().mean())
