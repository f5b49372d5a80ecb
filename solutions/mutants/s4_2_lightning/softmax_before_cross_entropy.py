"""Applies softmax to the logits before F.cross_entropy, which applies log-softmax itself: the loss is squashed
towards log(10) and its gradients shrink."""
# nn.CrossEntropyLoss / F.cross_entropy take raw logits:
# https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
CAUGHT_BY = "test_training_step_returns_cross_entropy"
MESSAGE_MENTIONS = "softmax is applied before F.cross_entropy"
MESSAGE_MENTIONS_KO = "F.cross_entropy 앞에서 softmax를 적용했습니다"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_2_lightning import DigitsClassifier as _Reference  # noqa: E402
from torch.nn import functional as F  # noqa: E402


class DigitsClassifier(_Reference):
    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(F.softmax(self(x), dim=-1), y)
        self.log("train_loss", loss)
        return loss
