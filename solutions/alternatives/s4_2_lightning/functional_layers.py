"""4.2 another way: explicit layers with functional dropout, dict optimizer config, epoch-level train loss."""
import os

import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset


def load_digits_tensors(seed=0, validation_fraction=0.25):
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.data, dtype=torch.float32) / 16.0
    y = torch.tensor(data.target, dtype=torch.int64)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    n_val = int(len(y) * validation_fraction)
    return x[order[n_val:]], y[order[n_val:]], x[order[:n_val]], y[order[:n_val]]


class DigitsDataModule(L.LightningDataModule):
    def __init__(self, batch_size=64, seed=0):
        super().__init__()
        self.save_hyperparameters()

    def setup(self, stage=None):
        if getattr(self, "train_set", None) is None:
            splits = load_digits_tensors(self.hparams.seed)
            self.train_set, self.val_set = TensorDataset(*splits[:2]), TensorDataset(*splits[2:])

    def train_dataloader(self):
        return DataLoader(self.train_set, self.hparams.batch_size, shuffle=True, drop_last=False)

    def val_dataloader(self):
        return DataLoader(self.val_set, self.hparams.batch_size, shuffle=False)


class DigitsClassifier(L.LightningModule):
    def __init__(self, hidden=64, lr=1e-2, dropout=0.2):
        super().__init__()
        self.save_hyperparameters()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        h = F.dropout(F.relu(self.fc1(x)), p=self.hparams.dropout, training=self.training)
        return self.fc2(h)

    def _shared(self, batch):
        images, labels = batch
        logits = self.forward(images)
        return F.cross_entropy(logits, labels), logits.argmax(dim=1).eq(labels).float().mean()

    def training_step(self, batch, batch_idx):
        loss, _ = self._shared(batch)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        loss, acc = self._shared(batch)
        self.log_dict({"val_loss": loss, "val_acc": acc}, on_epoch=True, prog_bar=False)

    def configure_optimizers(self):
        return {"optimizer": torch.optim.Adam(self.parameters(), lr=self.hparams.lr)}


def make_trainer(log_dir, max_epochs, accelerator="cpu"):
    logger = CSVLogger(save_dir=log_dir, name="digits")
    best = ModelCheckpoint(dirpath=os.path.join(log_dir, "best"), filename="digits-{epoch}-{val_loss:.3f}",
                           monitor="val_loss", mode="min")
    return L.Trainer(max_epochs=max_epochs, accelerator=accelerator, devices=1, logger=logger, callbacks=[best],
                     log_every_n_steps=5, enable_progress_bar=False, enable_model_summary=False,
                     num_sanity_val_steps=0, default_root_dir=log_dir)


def load_best(checkpoint_path):
    model = DigitsClassifier.load_from_checkpoint(checkpoint_path, map_location="cpu")
    model.train(False)
    return model
