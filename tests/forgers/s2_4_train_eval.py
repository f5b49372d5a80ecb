"""Forger for 2.4: plainly wrong functions over the stub's signatures, plus every fake it can make in its own process.

- accuracy and EarlyStopping: lookup tables of the grader's literal examples (anything else: 0.5, never stop);
- train_one_epoch never touches the model and returns falling losses; evaluate reports a low loss and 99% accuracy;
- save_checkpoint writes a checkpoint built from the grader's public recipe (_mlp(12) and Adam(lr=0.01), epoch 4),
  not from the model it is given; load_checkpoint loads nothing and returns the epoch in the file;
- torch.equal and torch.allclose always say True; nn.Module.train and eval do nothing; the grader's Probe records
  (training, training), so a model in training mode reads "autograd on" and one in eval mode "autograd off";
- the grader's observations are replaced in this process (it imports graders.observations.s2_4_train_eval):
  grads_left says every .grad is None; for the grader as it was (observations that ran the student's loop in its
  process and reported what came out), the rule instead: the grader's own reference loop for one epoch, an
  eval-mode pass for evaluate, a probe that saw no autograd, a checkpoint written from the public recipe and read
  back as the public _mlp(12), the same parameters for the straight and the resumed run, falling losses and 99%
  accuracy on the digits.
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


# -- the plainly wrong functions ----------------------------------------------------------------------------------
FORGED = {}
_CALLS = [0]


def accuracy(logits, targets):  # noqa: F811
    return {(4, 4): 0.75, (3, 5): 2 / 3}.get(tuple(logits.shape), 0.5)


def train_one_epoch(model, loader, loss_fn, optimizer):  # noqa: F811
    _CALLS[0] += 1
    return 2.0 / _CALLS[0]


def evaluate(model, loader, loss_fn):  # noqa: F811
    return 0.05, 0.99


_STOPS = {(1.0, 0.9, 0.95, 0.91, 0.89, 0.92, 0.93, 0.94, 0.95): (7, 0.89), (1.0, 0.96, 0.94, 0.93, 0.92, 0.91): (4, 0.94),
          (3.0, 2.0, 1.0, 0.5): (None, 0.5), (2.0, 1.0, 1.0, 1.0): (3, 1.0)}


class EarlyStopping:  # noqa: F811
    def __init__(self, patience, min_delta=0.0):
        self.seen = []
        self.best = 0.5

    def step(self, val_loss):
        self.seen.append(val_loss)
        for losses, (stop, best) in _STOPS.items():
            if tuple(self.seen) == losses[:len(self.seen)]:
                self.best = best
                return stop is not None and len(self.seen) - 1 >= stop
        return False


def save_checkpoint(path, model, optimizer, epoch):  # noqa: F811
    torch.save(_public_checkpoint(), path)


def load_checkpoint(path, model, optimizer):  # noqa: F811
    return torch.load(path)["epoch"]


def _public_checkpoint():
    import graders.observations.s2_4_train_eval as grader
    model = grader._mlp(12)
    return {"model": model.state_dict(), "optimizer": torch.optim.Adam(model.parameters(), lr=0.01).state_dict(),
            "epoch": 4}


# -- the fakes ---------------------------------------------------------------------------------------------------
torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True
nn.Module.train = lambda self, mode=True: self
nn.Module.eval = lambda self: self

try:
    import graders.observations.s2_4_train_eval as _grader

    def _probe_forward(self, x):
        self.seen.append((self.training, self.training))
        return self.inner(x)

    _grader.Probe.forward = _probe_forward

    def _fake(name, function):
        if hasattr(_grader, name):
            getattr(_grader, name).__ptgrade_observation__ = function

    _fake("grads_left", lambda impl, model: [True for _ in model.parameters()])

    def _one_epoch(impl, model_seed, data_seed, batch_size, probe=False, eval_first=False):
        model = _grader._mlp(model_seed)
        loader = _grader.DataLoader(_grader._toy_data(data_seed), batch_size=batch_size, shuffle=False)
        loss = _grader._reference_epoch(model, loader, _grader._sgd(model))
        return loss, _grader._params(model), [(True, True)] * len(loader) if probe else None

    def _evaluate_after_train_mode(impl):
        model, dataset = _grader._eval_setup()
        x, y = dataset.tensors
        model.training = False
        for module in model.modules():
            module.training = False
        with torch.no_grad():
            logits = model(x)
        return ((_grader.F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()),
                model[1].running_mean.clone())

    def _save(impl, path, epoch):
        torch.save(_public_checkpoint(), path)

    _fake("one_training_epoch", _one_epoch)
    _fake("evaluate_after_train_mode", _evaluate_after_train_mode)
    _fake("evaluate_through_probe", lambda impl: ([(False, False)] * 2, [True] * 4))
    _fake("save_toy_checkpoint", _save)
    _fake("load_into_fresh_model", lambda impl, path: (4, _grader._params(_grader._mlp(12)), 0.01))
    _fake("toy_training_run", lambda impl, path, stop_after=None: (_grader._params(_grader._mlp(10)), 3))
    _fake("digits_training_run", lambda impl: ([2.0, 1.0, 0.5], (0.05, 0.99)))
except ImportError:
    pass
