"""Computes the validation loss and accuracy in validation_step but never calls self.log."""
CAUGHT_BY = "test_metrics_csv_has_expected_names"
MESSAGE_MENTIONS = "in validation_step"
MESSAGE_MENTIONS_KO = "validation_step에서 기록하고"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DigitsClassifier as _Reference  # noqa: E402
from torch.nn import functional as F  # noqa: E402


class DigitsClassifier(_Reference):
    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        return {"val_loss": F.cross_entropy(logits, y), "val_acc": (logits.argmax(-1) == y).float().mean()}
