"""4.2 PyTorch Lightning — LightningModule, LightningDataModule, Trainer, logging, checkpoints.

Lightning takes the training loop off your hands: you say *what* one step computes
(`training_step`, `validation_step`), *which* optimizer to use (`configure_optimizers`) and *where*
the data comes from (a `LightningDataModule`), and a `Trainer` runs the epochs, moves data to the
device, calls `backward` and `optimizer.step`, logs what you `self.log`, and saves checkpoints.

Import it as `import lightning as L` (Lightning 2.x). The older `pytorch_lightning` package has
its own `LightningModule` class: a module from one package cannot be trained by the other's
Trainer (`TypeError`), so don't mix them.

The pitfalls this item is about:
- a metric exists only if you `self.log` it, under exactly the name others look for: a
  `ModelCheckpoint(monitor="val_loss")` needs `self.log("val_loss", ...)` in `validation_step`;
- a loss gets better as it goes down: monitor it with `mode="min"`;
- `configure_optimizers` must *return* the optimizer;
- `load_from_checkpoint` returns the module in training mode (dropout on): call `.eval()`.

The task: classify scikit-learn's 8x8 handwritten digits (no download) with a small MLP.
Replace each `raise NotImplementedError` with your code, then run `ptgrade check 4.2`.
"""
import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset


def load_digits_tensors(seed: int = 0, validation_fraction: float = 0.25):
    """The digits as (x_train, y_train, x_val, y_val): float32 (n, 64) in [0, 1], int64 labels (given)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.data, dtype=torch.float32) / 16.0
    y = torch.tensor(data.target, dtype=torch.int64)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    n_val = int(len(y) * validation_fraction)
    return x[order[n_val:]], y[order[n_val:]], x[order[:n_val]], y[order[:n_val]]


class DigitsDataModule(L.LightningDataModule):
    """The digits as a LightningDataModule.

    `setup(stage)` builds `self.train_set` and `self.val_set`, `TensorDataset`s of
    `load_digits_tensors(seed)`'s two splits. `train_dataloader()` shuffles (`shuffle=True`),
    `val_dataloader()` does not; both use `batch_size`.
    """

    def __init__(self, batch_size: int = 64, seed: int = 0):
        raise NotImplementedError("DigitsDataModule")

    def setup(self, stage: str | None = None):
        raise NotImplementedError("DigitsDataModule.setup")

    def train_dataloader(self):
        raise NotImplementedError("DigitsDataModule.train_dataloader")

    def val_dataloader(self):
        raise NotImplementedError("DigitsDataModule.val_dataloader")


class DigitsClassifier(L.LightningModule):
    """An MLP 64 -> hidden -> 10 with ReLU and `nn.Dropout(dropout)` after the hidden layer.

    - `__init__` calls `self.save_hyperparameters()` (so `load_from_checkpoint` can rebuild it).
    - `forward(x)` returns the (batch, 10) logits.
    - `training_step(batch, batch_idx)` returns the cross-entropy loss and logs it as "train_loss".
    - `validation_step(batch, batch_idx)` logs the cross-entropy as "val_loss" and the accuracy
      (fraction of correct argmax predictions) as "val_acc", both per epoch (`self.log` in
      `validation_step` averages over the epoch by default).
    - `configure_optimizers()` returns `torch.optim.Adam(self.parameters(), lr=lr)`.

    Graded also by what it learns: `DigitsClassifier()` with its defaults, fitted by `make_trainer`'s Trainer for 5
    epochs on the grader's split of the digits (`DigitsDataModule(batch_size=64)`), must classify at least 88% of the
    validation split, its mean cross-entropy there below 0.6 and below half of the untrained model's.
    """

    def __init__(self, hidden: int = 64, lr: float = 1e-2, dropout: float = 0.2):
        raise NotImplementedError("DigitsClassifier")

    def forward(self, x):
        raise NotImplementedError("DigitsClassifier.forward")

    def training_step(self, batch, batch_idx):
        raise NotImplementedError("DigitsClassifier.training_step")

    def validation_step(self, batch, batch_idx):
        raise NotImplementedError("DigitsClassifier.validation_step")

    def configure_optimizers(self):
        raise NotImplementedError("DigitsClassifier.configure_optimizers")


def make_trainer(log_dir: str, max_epochs: int, accelerator: str = "cpu") -> L.Trainer:
    """An `L.Trainer` that trains for `max_epochs` epochs on one `accelerator` device, writing only
    under `log_dir`:

    - `logger=CSVLogger(save_dir=log_dir, name="digits")` (metrics.csv in `trainer.logger.log_dir`);
    - `callbacks=[ModelCheckpoint(monitor="val_loss", mode="min", save_top_k=1)]`: the checkpoint
      kept is the epoch with the lowest validation loss (it goes in the logger's folder);
    - quiet and quick: `enable_progress_bar=False`, `enable_model_summary=False`,
      `num_sanity_val_steps=0`, `devices=1`, `default_root_dir=log_dir`.
    """
    raise NotImplementedError("make_trainer")


def load_best(checkpoint_path: str) -> DigitsClassifier:
    """The model saved at `checkpoint_path`, ready for inference.

    `DigitsClassifier.load_from_checkpoint(path)` rebuilds it from the saved hyper-parameters and
    weights, but returns it in training mode: dropout would still be on.
    """
    raise NotImplementedError("load_best")


if __name__ == "__main__":
    trainer = make_trainer("lightning_runs", max_epochs=5)
    trainer.fit(DigitsClassifier(), datamodule=DigitsDataModule())
    print("best checkpoint:", trainer.checkpoint_callback.best_model_path,
          "val_loss:", float(trainer.checkpoint_callback.best_model_score))
