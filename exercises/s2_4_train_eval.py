"""2.4 Training and evaluation — the training loop, evaluation, logging, over-fitting, early stopping, checkpoints.

Every PyTorch training loop repeats four lines per batch:
    optimizer.zero_grad()            # gradients ADD UP in .grad until you clear them
    loss = loss_fn(model(x), y)      # forward; nn.CrossEntropyLoss wants raw logits (no softmax)
    loss.backward()                  # fill .grad of every parameter
    optimizer.step()                 # update the parameters from .grad
Evaluation is different: `model.eval()` switches Dropout off and makes BatchNorm use its running
statistics, and `torch.no_grad()` stops autograd from recording a graph nobody will use. Forgetting
either one still runs, silently giving wrong numbers or wasting memory; forgetting `model.train()`
afterwards trains the next epoch without dropout.

Keep running totals as Python numbers (`loss.item()`): `total += loss` keeps every batch's graph
alive until the end of the epoch.

A checkpoint stores `state_dict()`s (tensors and numbers), not objects: `torch.load` defaults to
`weights_only=True` and refuses to unpickle a whole model. Save the optimizer's state too: Adam's
moment estimates are part of where training is.

Watch a run as it goes: TensorBoard draws the curves a `SummaryWriter` logs (a loss per step, the weights'
spread per epoch). The two curves that matter most are training and validation loss side by side: when the
training loss keeps falling while the validation loss turns up, the model is over-fitting (learning its
training samples, noise included); the epoch with the lowest validation loss holds the weights to keep.

Replace each `raise NotImplementedError`, then run `ptgrade check 2.4`.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter


def accuracy(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """The fraction of rows of (N, C) `logits` whose highest score is at the class in (N,) `targets`,
    as a Python float in [0, 1]. The class axis is dim=1."""
    raise NotImplementedError("accuracy")


def train_one_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module,
                    optimizer: torch.optim.Optimizer) -> float:
    """Train `model` for one pass over `loader`, one optimizer step per batch (x, y).

    Put the model in training mode first (`model.train()`), move each batch to the device the
    model's parameters are on, and run zero_grad, forward + loss,
    backward, step, once each, in that order.

    Returns the mean loss per sample over the epoch as a Python float: the sum over batches of
    `loss.item() * batch_size` (the loss computed before that batch's step), divided by the number
    of samples. Batches can differ in size (the last one is often smaller).

    The grader trains nn.Sequential(Linear(64, 64), ReLU, Linear(64, 10)) with it for 3 epochs on the digits
    (batches of 32, SGD(lr=0.1, momentum=0.9): 129 steps); the trained weights must reach 85% validation accuracy.
    """
    raise NotImplementedError("train_one_epoch")


def evaluate(model: nn.Module, loader: DataLoader, loss_fn: nn.Module) -> tuple[float, float]:
    """The model's (mean loss per sample, accuracy) over `loader`, as two Python floats.

    Call `model.eval()` and run the loop under `torch.no_grad()` (or `torch.inference_mode()`).
    Weight each batch's loss by its size, as in `train_one_epoch`, and count correct predictions
    (argmax over dim=1) over all samples. No backward, no optimizer.
    """
    raise NotImplementedError("evaluate")


def log_training(log_dir: str | Path, model: nn.Module, loader: DataLoader, loss_fn: nn.Module,
                 optimizer: torch.optim.Optimizer, epochs: int) -> None:
    """Train for `epochs` epochs, each as `train_one_epoch` does (training mode, batches on the model's device,
    zero_grad, loss, backward, step), and log the run for TensorBoard with
    `torch.utils.tensorboard.SummaryWriter(log_dir)`:

    - every step: `writer.add_scalar("Loss/train", loss.item(), step)`, the batch's loss (computed before its
      step), where `step` counts the optimizer steps done before it over the whole run: 0, 1, 2, ... (it does not
      start again at 0 with each epoch, or the curve folds back on itself);
    - after every epoch: `writer.add_histogram(f"weights/{name}", param, epoch)` for each `name, param` in
      `model.named_parameters()`, `epoch` the number of epochs done (1, 2, ...): how the weights spread out as
      they train;
    - at the end, `writer.close()`: events are buffered, and a file that is never closed may not hold them
      all yet.

    Example: 2 epochs of 4 batches log "Loss/train" at steps 0..7 and "weights/0.weight" at steps 1 and 2. Then
    `tensorboard --logdir <log_dir>` draws the loss curve (Scalars) and the weights (Histograms).
    """
    raise NotImplementedError("log_training")


class EarlyStopping:
    """Decides when to stop training because the validation loss stopped improving.

    `EarlyStopping(patience, min_delta=0.0)`; call `step(val_loss)` once per epoch: it returns True
    when training should stop. A loss is an improvement when it is below `best - min_delta`; then
    `best` becomes that loss and the count of epochs without improvement goes back to 0. Otherwise
    the count grows by one, and `step` returns True once the count reaches `patience`.
    The first loss is always an improvement (`best` starts at infinity). Keep `best` as an attribute.

    Example, patience=2: losses 1.0, 0.9, 0.95, 0.91 -> False, False, False, True.
    """

    def __init__(self, patience: int, min_delta: float = 0.0):
        raise NotImplementedError("EarlyStopping")

    def step(self, val_loss: float) -> bool:
        raise NotImplementedError("EarlyStopping.step")


def overfitting_report(train_losses: list[float], val_losses: list[float]) -> tuple[int, bool]:
    """Read a run's per-epoch curves (one training and one validation loss per epoch, epoch 0 first) and return
    `(best_epoch, overfitting)`:

    - `best_epoch`: the epoch with the lowest validation loss, the first of equal ones: the weights worth keeping
      (what early stopping's checkpoint holds), as an int;
    - `overfitting`: True when, after `best_epoch`, the validation loss ended higher than its best
      (`val_losses[-1] > val_losses[best_epoch]`) while the training loss kept falling
      (`train_losses[-1] < train_losses[best_epoch]`): the model goes on fitting its training samples, noise and
      all, and gets worse on new ones. A bool.

    A validation loss above the training loss is not over-fitting by itself: nearly every model has that gap.
    Example: train [1.0, 0.6, 0.4, 0.3] with validation [1.1, 0.8, 0.9, 1.0] gives (1, True);
    train [1.0, 0.7, 0.5] with validation [1.2, 1.0, 0.9] gives (2, False).
    """
    raise NotImplementedError("overfitting_report")


def save_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int) -> None:
    """Save what is needed to resume training exactly to `path` with `torch.save`: a dict holding
    `model.state_dict()`, `optimizer.state_dict()` and `epoch` (the number of epochs done).

    Save state_dicts, never the model or optimizer objects: the file must load with
    `torch.load(path)`, whose default is `weights_only=True`.
    """
    raise NotImplementedError("save_checkpoint")


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """Restore `model` and `optimizer` (already built, same architecture) from a file written by
    `save_checkpoint`, with `load_state_dict` on each, and return the saved epoch.

    After this, training on from the returned epoch gives, bit for bit, what an uninterrupted run
    gives (the caller takes care of seeding data order and dropout per epoch).
    """
    raise NotImplementedError("load_checkpoint")
