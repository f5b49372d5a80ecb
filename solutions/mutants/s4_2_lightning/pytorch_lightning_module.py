"""Subclasses pytorch_lightning.LightningModule (the old package) while the Trainer is lightning's."""
CAUGHT_BY = "test_classes_are_lightning_2_classes"
MESSAGE_MENTIONS = "pytorch_lightning"
MESSAGE_MENTIONS_KO = "pytorch_lightning"
from solutions.s4_2_lightning import *  # noqa: E402,F401,F403 - the rest of the reference
import pytorch_lightning as pl  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402


class DigitsClassifier(pl.LightningModule):
    def __init__(self, hidden=64, lr=1e-2, dropout=0.2):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(-1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
