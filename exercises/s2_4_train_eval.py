"""2.4 Training and evaluation — the training loop, evaluation, early stopping, checkpoints.

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

Replace each `raise NotImplementedError`, then run `ptgrade check 2.4`.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader


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
    """
    raise NotImplementedError("train_one_epoch")


def evaluate(model: nn.Module, loader: DataLoader, loss_fn: nn.Module) -> tuple[float, float]:
    """The model's (mean loss per sample, accuracy) over `loader`, as two Python floats.

    Call `model.eval()` and run the loop under `torch.no_grad()` (or `torch.inference_mode()`).
    Weight each batch's loss by its size, as in `train_one_epoch`, and count correct predictions
    (argmax over dim=1) over all samples. No backward, no optimizer.
    """
    raise NotImplementedError("evaluate")


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
