"""Computes and logs the loss in training_step but forgets `return loss`: Lightning then skips the optimisation
step of every batch (only a warning), and the model never trains."""
# "training_step returned None ... skipping" is among the most-asked Lightning questions; the docs say
# training_step must return the loss: https://lightning.ai/docs/pytorch/stable/common/lightning_module.html#training-step
CAUGHT_BY = "test_training_step_returns_cross_entropy"
MESSAGE_MENTIONS = "Return the loss tensor"
MESSAGE_MENTIONS_KO = "손실 텐서"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DigitsClassifier as _Reference  # noqa: E402
from torch.nn import functional as F  # noqa: E402


class DigitsClassifier(_Reference):
    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
