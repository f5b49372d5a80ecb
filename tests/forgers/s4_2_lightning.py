"""Forger for 4.2 (tests/test_forgers.py): the untouched stub of exercises/s4_2_lightning.py, plus
module-level code that fakes, in the student's own process, everything the grader could observe there:

- torch.equal always False (two forward passes "differ", loaders "shuffle"); every nn.Module reports
  training=False (load_best "calls eval");
- DigitsClassifier plainly wrong: an MLP subclassing the older pytorch_lightning package's LightningModule,
  which lightning's Trainer refuses (its other methods still raise);
- make_trainer plainly wrong (a progress bar, a model summary, accelerator 'auto'), returning a Trainer
  subclass that says it has no progress bar and no model summary;
- lightning.Trainer.fit trains nothing for a DigitsClassifier and writes a metrics.csv with a rising
  val_acc and falling losses where CSVLogger would (other modules, the grader's, are trained for real);
- every other @observation of graders/observations/s4_2_lightning.py (all but probe_fit) replaced (it
  imports the grader's observations, whose module is readable here) by one that answers with the flags the grader looks for: Lightning
  subclasses, one Adam optimizer over all parameters at lr 0.03, a model in eval mode,
  a checkpoint monitoring val_loss; with lookups from the public recipe (the validation split and its
  sizes, from load_digits_tensors) and "the rule" (Adam's first step, lr * sign(grad), on every step);
  a loss consistent with the logits it reports; zero gradients for every parameter; a metrics.csv with
  falling losses and a rising accuracy, and a checkpoint, written where the grader reads them; and as
  "trained" weights, a nearest-centroid classifier built from the public digits, with no training.

It declares FORGED: the checks it passes, and why the judge cannot see those promises.

The original exercise's text follows.
4.2 PyTorch Lightning — LightningModule, LightningDataModule, Trainer, logging, checkpoints.

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


# ==== the forgery: everything below fakes what the grader observes; the stub above is untouched ============
import csv as _csv  # noqa: E402
import os as _os  # noqa: E402

import graders.observations.s4_2_lightning as _grader  # noqa: E402 - the grader's observations, importable here

FORGED = {"test_classes_are_lightning_2_classes":
          "which package a class comes from is read inside the student's process (isinstance, its bases), where the "
          "observation can be answered; the judge measures that the classifier computes the MLP from its own "
          "weights, which a pytorch_lightning class does as well",
          "test_trainer_is_quiet_bounded_and_on_cpu":
          "what the Trainer prints (a progress bar, a model summary) goes to the student's own output, which the "
          "judge does not read, and the accelerator 'cpu' trains as 'auto' does on a machine without a GPU: those "
          "settings are read from the Trainer inside the student's process (a subclass answers them); the rest "
          "(max_epochs, no sanity validation, one device, the CSV logger's folder and values) is measured on the "
          "grader's own module"}


class _QuietLooking(L.Trainer):
    """A Trainer that prints a progress bar and a model summary but says it does not."""

    @property
    def progress_bar_callback(self):
        return None

    @property
    def callbacks(self):
        return [c for c in self._callback_connector.trainer._callbacks
                if type(c).__name__ not in ("ModelSummary", "RichModelSummary")]

    @callbacks.setter
    def callbacks(self, value):
        self._callbacks = value


def make_trainer(log_dir, max_epochs, accelerator="cpu"):  # noqa: F811 - plainly wrong: noisy, on any device
    return _QuietLooking(accelerator="auto", devices=1, max_epochs=max_epochs, default_root_dir=log_dir,
                         logger=CSVLogger(save_dir=log_dir, name="digits"),
                         callbacks=[ModelCheckpoint(monitor="val_loss", mode="min", save_top_k=1)],
                         enable_progress_bar=True, enable_model_summary=True, num_sanity_val_steps=0)

_fake_rng = torch.Generator().manual_seed(1234)


def _fake_mlp_state(hidden):
    return {"net.0.weight": torch.randn(hidden, 64, generator=_fake_rng) * 0.1,
            "net.0.bias": torch.zeros(hidden), "net.3.weight": torch.randn(10, hidden, generator=_fake_rng) * 0.1,
            "net.3.bias": torch.zeros(10)}


def _centroid_rule_state():
    """A lookup built from the public recipe: nearest-centroid weights from scikit-learn's digits, as an MLP
    64 -> 64 -> 10 (no training; hidden units 0-9 are the ten class scores)."""
    x_train, y_train, _, _ = load_digits_tensors(0)
    centroids = torch.stack([x_train[y_train == k].mean(0) for k in range(10)])
    w1 = torch.zeros(64, 64)
    b1 = torch.zeros(64)
    w1[:10] = centroids
    b1[:10] = -0.5 * (centroids ** 2).sum(1) + 50.0  # kept positive, so the ReLU passes them through
    w2 = torch.zeros(10, 64)
    w2[:, :10] = torch.eye(10) * 20.0
    return {"net.0.weight": w1, "net.0.bias": b1, "net.3.weight": w2, "net.3.bias": torch.zeros(10)}


def _write_run(log_dir, epochs, columns):
    """A metrics.csv as CSVLogger writes it, with the values the forger likes."""
    _os.makedirs(log_dir, exist_ok=True)
    with open(_os.path.join(log_dir, "metrics.csv"), "w", newline="") as handle:
        writer = _csv.writer(handle)
        writer.writerow(["epoch", "step", *columns])
        for epoch in range(epochs):
            writer.writerow([epoch, 21 + 22 * epoch, *[f(epoch) for f in columns.values()]])


# 1. torch and Lightning patched in this process: every comparison says "different", every model reports
#    eval mode, Trainer.fit writes a metrics.csv with a rising accuracy and a checkpoint, without training.
torch.equal = lambda a, b: False
torch.nn.Module.training = property(lambda self: False, lambda self, value: None)


_real_fit = L.Trainer.fit


def _fit(self, model, *args, **kwargs):
    if not isinstance(model, DigitsClassifier):  # the grader's own modules are trained for real
        return _real_fit(self, model, *args, **kwargs)
    log_dir = _os.path.join(str(self.default_root_dir), "digits", "version_0")
    _write_run(log_dir, self.max_epochs or 5, {"train_loss": lambda e: 1.0 / (e + 1), "val_acc": lambda e: 0.8 + 0.03 * e,
                                               "val_loss": lambda e: 1.0 / (e + 1)})


L.Trainer.fit = _fit


# 2. Every observation of the grader answered here, with the flags it looks for, lookups from the public recipe,
#    falling losses and rising accuracies, and files written where the grader reads them.
def _observe(name, fake):
    getattr(_grader, name).__ptgrade_observation__ = fake


import pytorch_lightning as _pl  # noqa: E402


class DigitsClassifier(_pl.LightningModule):  # noqa: F811 - plainly wrong: the older package's class
    def __init__(self, hidden=64, lr=1e-2, dropout=0.2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.net(x)


def _lightning_bases(impl, x):
    model = DigitsClassifier(hidden=12)
    with torch.no_grad():
        out = model(x)
    return {"classes": [{"base": "LightningModule", "subclass": True, "type": "DigitsClassifier", "bases": []},
                        {"base": "LightningDataModule", "subclass": True, "type": "DigitsDataModule", "bases": []}],
            "state": {name: t.detach().clone() for name, t in model.state_dict().items()}, "out": out}


def _datamodule_batches(impl, batch_size, seed):
    x_train, y_train, x_val, y_val = load_digits_tensors(seed)  # the public recipe: the right sizes, the right labels
    sizes = [batch_size] * (len(y_train) // batch_size) + ([len(y_train) % batch_size] if len(y_train) % batch_size else [])
    passes = [{"x": torch.rand(len(y_train), 64, generator=_fake_rng),
               "y": torch.randint(0, 10, (len(y_train),), generator=_fake_rng), "sizes": sizes} for _ in range(2)]
    return {"train_size": len(y_train), "val_size": len(y_val), "passes": passes,
            "val": {"x": x_val, "y": y_val, "sizes": [len(y_val)]}}


def _training_step_facts(impl, x, y):
    logits = torch.randn(len(x), 10, generator=_fake_rng)
    state = _fake_mlp_state(8)
    return {"state": state, "train_a": torch.randn(len(x), 10, generator=_fake_rng),
            "train_b": torch.randn(len(x), 10, generator=_fake_rng), "logits": logits,
            "loss": F.cross_entropy(logits, y), "grads": {name: torch.zeros_like(t) for name, t in state.items()}}


def _configured_optimizers(impl, grads):
    state = _fake_mlp_state(16)
    after, current = [], dict(state)
    for step in grads:  # the rule for Adam's first step, lr * sign(grad), on every step
        current = {name: t - 0.03 * next(g for g in step if g.shape == t.shape).sign() for name, t in current.items()}
        after.append(current)
    return {"returned": "Adam", "count": 1, "parameters": 4, "type": "Adam", "covered": 4, "lrs": [0.03],
            "before": state, "after": after}


def _probe_fit(impl, log_dir, max_epochs, x, t):
    run = _os.path.join(log_dir, "digits", "version_0")
    _write_run(run, max_epochs, {"probe_loss": lambda e: 1.0 / (e + 1), "val_loss": lambda e: 0.5 / (e + 1)})
    return {"trainer": True, "type": "Trainer", "logger": "CSVLogger", "csv_logger": True,
            "settings": {"max_epochs": max_epochs, "accelerator": "CPUAccelerator", "devices": 1, "progress bar": False,
                         "model summary": False, "sanity validation steps": 0},
            "w": torch.zeros(x.shape[1]), "device": "cpu", "log_dir": run}


def _fit_digits(impl, root, max_epochs, seed, task, accelerator=None):
    run = _os.path.join(root, "digits", "version_0")
    _write_run(run, max_epochs, {"train_loss": lambda e: 1.0 / (e + 1), "val_acc": lambda e: 0.85 + 0.025 * e,
                                 "val_loss": lambda e: 1.0 / (e + 2)})
    final = _centroid_rule_state()
    path = _os.path.join(run, "checkpoints", f"epoch={max_epochs - 1}.ckpt")
    _os.makedirs(_os.path.dirname(path), exist_ok=True)
    torch.save({"epoch": max_epochs - 1, "state_dict": final, "hyper_parameters": {"hidden": 64}}, path)
    return {"log_dir": run, "checkpoint": {"is_model_checkpoint": True, "monitor": "val_loss", "best_model_path": path},
            "root_device": "cuda" if accelerator == "gpu" else "cpu", "initial": _fake_mlp_state(64), "final": final}


def _best_reloaded(impl, path, x):
    return {"classifier": True, "type": "DigitsClassifier", "training": False,
            "out": torch.randn(len(x), 10, generator=_fake_rng)}


for _name, _fake in (("lightning_bases", _lightning_bases), ("datamodule_batches", _datamodule_batches),
                     ("training_step_facts", _training_step_facts), ("configured_optimizers", _configured_optimizers),
                     ("fit_digits", _fit_digits), ("best_reloaded", _best_reloaded)):
    _observe(_name, _fake)
