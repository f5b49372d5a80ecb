"""Reference solution for 4.2 (the task is in exercises/s4_2_lightning.py)."""
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
        self.batch_size = batch_size
        self.seed = seed

    def setup(self, stage=None):
        x_train, y_train, x_val, y_val = load_digits_tensors(self.seed)
        self.train_set = TensorDataset(x_train, y_train)
        self.val_set = TensorDataset(x_val, y_val)

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=self.batch_size)


class DigitsClassifier(L.LightningModule):
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


def make_trainer(log_dir, max_epochs, accelerator="cpu"):
    return L.Trainer(
        accelerator=accelerator, devices=1, max_epochs=max_epochs, default_root_dir=log_dir,
        logger=CSVLogger(save_dir=log_dir, name="digits"),
        callbacks=[ModelCheckpoint(monitor="val_loss", mode="min", save_top_k=1)],
        enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0,
    )


def load_best(checkpoint_path):
    return DigitsClassifier.load_from_checkpoint(checkpoint_path).eval()


if __name__ == "__main__":
    trainer = make_trainer("lightning_runs", max_epochs=5)
    trainer.fit(DigitsClassifier(), datamodule=DigitsDataModule())
    print("best checkpoint:", trainer.checkpoint_callback.best_model_path,
          "val_loss:", float(trainer.checkpoint_callback.best_model_score))
