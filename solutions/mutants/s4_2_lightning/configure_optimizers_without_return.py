"""Builds the optimizer in configure_optimizers but forgets to return it."""
CAUGHT_BY = "test_configure_optimizers_returns_adam_over_all_parameters"
MESSAGE_MENTIONS = "without the return"
MESSAGE_MENTIONS_KO = "return이 없으면"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DigitsClassifier as _Reference  # noqa: E402
import torch  # noqa: E402


class DigitsClassifier(_Reference):
    def configure_optimizers(self):
        self.optimizer = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
