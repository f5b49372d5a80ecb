"""Uses F.nll_loss on the raw logits, as if it were cross-entropy: nll_loss expects log-probabilities (log_softmax
first), so the loss is minus the true class's logit, unbounded below. One of the most asked loss questions:
https://discuss.pytorch.org/t/difference-between-cross-entropy-loss-or-log-likelihood-loss/38816"""
CAUGHT_BY = "test_training_step_returns_cross_entropy"
MESSAGE_MENTIONS = "F.nll_loss is given raw logits"
MESSAGE_MENTIONS_KO = "F.nll_loss에 로짓을 그대로 넘겼습니다"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DigitsClassifier as _Reference  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class DigitsClassifier(_Reference):
    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.nll_loss(self(x), y)
        self.log("train_loss", loss)
        return loss
