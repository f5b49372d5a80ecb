"""5.1 Project: ResNet on CIFAR-10 — the data pipeline, the network, the schedule and a small search.

CIFAR-10 is 60,000 colour images of 32x32 pixels in 10 classes (50,000 to train, 10,000 to test). You
build everything a real training run needs, piece by piece:

1. `channel_stats`: the mean and standard deviation of each colour channel over the TRAINING images,
   computed by your code (never copied from a paper: the numbers belong to the data you load).
2. `build_transforms`: augmentation for training only (random 32x32 crop of the image padded by 4
   pixels, random horizontal flip), then `ToTensor` and `Normalize` with those statistics. The test
   transform only converts and normalises: augmenting the test set measures a different task.
3. `cifar10_datasets`: the real `torchvision.datasets.CIFAR10` loader with a root folder.
4. `BasicBlock` and `ResNet`: the ResNet of He et al. (2016) for 32x32 inputs, with projection
   shortcuts (1x1 convolution + BatchNorm) where a block changes the shape.
5. `warmup_cosine_scheduler`: linear warm-up, then cosine decay, stepped once per optimizer step.
6. `train_one_epoch` and `evaluate`.
7. `search`: pick the best configuration by validation accuracy (never by test accuracy).
8. Tuning as a method: `sample_config` draws a configuration from a search space with a seeded generator,
   `random_search` tries many of them, and `successive_halving` spends a training budget where it pays.

The grader gives your functions a small archive in the exact CIFAR-10 format (`cifar-10-batches-py`,
pickled batches) that the kit generates, read by torchvision's own CIFAR10 code through a subclass that
skips the MD5 check of the real files (`dataset_class=`). The whole pipeline is also graded by what it learns:
ResNet((1, 1, 1), (8, 16, 32)) trained through your datasets, scheduler and `train_one_epoch` for 3 epochs on the
archive's 500 training images (batches of 20: 75 steps of SGD with lr 0.05, Nesterov momentum 0.9, weight decay
5e-4, 5 warm-up steps) must classify at least 80% of 200 new images drawn like the archive's. Replace each `raise NotImplementedError`, then
run `ptgrade check 5.1`. When everything passes, train for real on a GPU with `ptgrade run 5.1`
(`--data PATH` for a local copy of CIFAR-10; `--smoke` tries the whole pipeline on the CPU in a minute).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.datasets import CIFAR10

PAD = 4  # pixels of zero padding before the random 32x32 crop


def channel_stats(images: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel (mean, std) of uint8 `images` of shape (N, 32, 32, 3), as CIFAR10's `.data` holds them
    (height, width, channel last), on the [0, 1] scale that `ToTensor` produces (divide by 255).

    Returns two float32 tensors of shape (3,): the mean and the standard deviation of each channel (R, G, B)
    over all N * 32 * 32 pixel values of that channel (the population std, `correction=0`). Compute them
    in float64 and convert at the end: a float32 sum over millions of pixels loses digits.
    """
    raise NotImplementedError("channel_stats")


def build_transforms(mean: torch.Tensor, std: torch.Tensor) -> tuple[Callable, Callable]:
    """(train_transform, test_transform): callables from a PIL image (what CIFAR10 hands a transform) to a
    normalised float32 tensor of shape (3, 32, 32).

    Training: `transforms.RandomCrop(32, padding=PAD)` (zero padding), `transforms.RandomHorizontalFlip()`
    (p=0.5), `transforms.ToTensor()`, `transforms.Normalize(mean, std)`, in that order.
    Test: `ToTensor()` and `Normalize(mean, std)` only: no randomness at all.
    (`torchvision.transforms.v2` with `ToImage()` + `ToDtype(torch.float32, scale=True)` is fine too.)
    """
    raise NotImplementedError("build_transforms")


def cifar10_datasets(root: str | Path, *, download: bool = False,
                     dataset_class: type[CIFAR10] = CIFAR10) -> tuple[Dataset, Dataset]:
    """(train_set, test_set) of CIFAR-10 under `root` (the folder that holds `cifar-10-batches-py`).

    Build them with `dataset_class(root, train=..., download=..., transform=...)` (torchvision's CIFAR10
    unless the caller passes a subclass; do not build your own reader). First load the training set without
    a transform and compute the statistics with `channel_stats(train.data)`; then return the training set
    with the training transform and the test set with the test transform, both normalised with the
    TRAINING statistics. Pass `download` on to the first call only.
    """
    raise NotImplementedError("cifar10_datasets")


class BasicBlock(nn.Module):
    """The basic residual block: out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).

    conv1: 3x3, `in_channels` -> `out_channels`, stride `stride`, padding 1; conv2: 3x3, `out_channels` ->
    `out_channels`, stride 1, padding 1; both `bias=False`, each followed by `nn.BatchNorm2d`.
    shortcut: the identity when the shape does not change (stride 1 and in_channels == out_channels);
    otherwise a projection: `nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)` followed by
    `nn.BatchNorm2d(out_channels)` ("option B" of the paper). Input (N, in_channels, H, W), output
    (N, out_channels, H / stride, W / stride).
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        raise NotImplementedError("BasicBlock")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("BasicBlock.forward")


class ResNet(nn.Module):
    """A ResNet for 32x32 images: `ResNet(num_blocks=(3, 3, 3), widths=(16, 32, 64), num_classes=10)` is
    ResNet-20 of He et al. (2016); `num_blocks=(2, 2, 2, 2), widths=(64, 128, 256, 512)` is a CIFAR ResNet-18.

    Stem: 3x3 conv, 3 -> widths[0], stride 1, padding 1, bias=False, BatchNorm2d, ReLU (no max-pool: the
    images are small). Then one stage per entry of `num_blocks`: stage i is num_blocks[i] BasicBlocks of
    widths[i] channels; the first block of every stage except the first has stride 2 (it halves H and W).
    Head: global average pooling, then `nn.Linear(widths[-1], num_classes)`. Input (N, 3, 32, 32) float,
    output (N, num_classes) raw logits. Use only the layers listed (their parameters are counted).
    """

    def __init__(self, num_blocks: Sequence[int] = (3, 3, 3), widths: Sequence[int] = (16, 32, 64),
                 num_classes: int = 10):
        raise NotImplementedError("ResNet")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("ResNet.forward")


def warmup_cosine_scheduler(optimizer: torch.optim.Optimizer, total_steps: int,
                            warmup_steps: int) -> torch.optim.lr_scheduler.LRScheduler:
    """A scheduler (any `torch.optim.lr_scheduler` class, e.g. `LambdaLR`) that sets the learning rate of
    optimizer step t (t = 0, 1, ..., total_steps - 1; the scheduler has been stepped t times) to

        base_lr * (t + 1) / warmup_steps                                    if t < warmup_steps
        base_lr * 0.5 * (1 + cos(pi * (t - warmup_steps) / (total_steps - warmup_steps)))   otherwise

    where base_lr is the optimizer's lr when the scheduler is created (for each param group). Right after
    creation the lr must already be the value for t = 0. It is meant to be stepped after EVERY optimizer
    step (not every epoch). 1 <= warmup_steps < total_steps.
    """
    raise NotImplementedError("warmup_cosine_scheduler")


def train_one_epoch(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer,
                    scheduler: torch.optim.lr_scheduler.LRScheduler) -> float:
    """One pass over `loader` (batches (x, y)), training `model` with the cross-entropy loss on its logits.

    `model.train()` first; move each batch to the device of the model's parameters; per batch:
    zero_grad, forward + `F.cross_entropy`, backward, `optimizer.step()`, then `scheduler.step()`.
    Returns the mean loss per sample (sum of `loss.item() * batch size`, divided by the number of samples)
    as a Python float.
    """
    raise NotImplementedError("train_one_epoch")


def evaluate(model: nn.Module, loader: DataLoader) -> tuple[float, float]:
    """(mean cross-entropy per sample, accuracy) of `model` over `loader`, as two Python floats.

    `model.eval()` and `torch.no_grad()` (or `torch.inference_mode()`); batches to the model's device;
    accuracy is the fraction of samples whose argmax over the logits is the label.
    """
    raise NotImplementedError("evaluate")


def search(configs: Sequence[dict], train_and_evaluate: Callable[[dict], dict]) -> tuple[dict, list[dict]]:
    """A small hyper-parameter search: call `train_and_evaluate(config)` once for each config, in order.
    It returns a dict of metrics that holds at least "val_acc" (accuracy on a validation split); it may
    hold others (a "test_acc", say) that must NOT be used to choose.

    Returns (best_config, results): the config with the highest "val_acc" (the first of them on a tie) and
    the list of the metric dicts, one per config, in the order of `configs`.
    """
    raise NotImplementedError("search")


def sample_config(space: dict, generator: torch.Generator) -> dict:
    """One configuration drawn at random from `space`, every random number taken from `generator`.

    `space` maps each hyper-parameter's name to how it is drawn:
    - `("log_uniform", low, high)`: a float whose LOGARITHM is uniform between log(low) and log(high). Use it for
      learning rates and weight decay: 1e-4 and 1e-3 differ as much as 1e-2 and 1e-1, so each decade should
      be drawn equally often. A plain uniform draw in [1e-5, 1] lands above 0.1 nine times in ten.
    - `("uniform", low, high)`: a float uniform between low and high (a dropout rate, a momentum).
    - `("choice", options)`: one element of the list `options`, each equally likely (a batch size, an optimizer).
    Returns {name: value} with exactly the keys of `space`, values inside their range (low <= value <= high).
    Each key is drawn independently, with a random number of its own: one number shared by every key would tie
    them together (a high learning rate would always come with a high dropout and the largest batch).

    Example: `sample_config({"lr": ("log_uniform", 1e-4, 1.0), "batch_size": ("choice", [64, 128])}, g)` might
    give `{"lr": 0.0031, "batch_size": 128}`. Draw with `torch.rand((), generator=generator)` (or
    `torch.randint(..., generator=generator)`), never the global random state: the same seed must give the same
    configurations whatever else ran in between, and two draws from one generator must differ.
    """
    raise NotImplementedError("sample_config")


def random_search(space: dict, n_trials: int, train_and_evaluate: Callable[[dict], dict],
                  generator: torch.Generator) -> tuple[dict, list[tuple[dict, dict]]]:
    """Random search: draw `n_trials` configurations with `sample_config(space, generator)`, one per trial, run
    `train_and_evaluate` on each (it returns metrics with at least "val_acc", as in `search`) and keep the best by
    validation accuracy (the first of them on a tie). `search` above does the choosing.

    Returns (best_config, history): history is the list of (config, metrics) pairs, one per trial, in the order
    they ran. Why random and not a grid: with 9 trials a 3x3 grid tries only 3 learning rates, random search 9 (the
    hyper-parameter that matters gets every trial; Bergstra and Bengio, 2012). Watch for: drawing one
    configuration before the loop (every trial the same), and choosing by anything but "val_acc".
    """
    raise NotImplementedError("random_search")


def successive_halving(configs: Sequence[dict], train_for: Callable[[dict, int], dict], min_budget: int,
                       eta: int = 3) -> tuple[dict, list[tuple[dict, int, dict]]]:
    """Successive halving: many configurations briefly, the promising ones longer.

    `train_for(config, budget)` trains `config` from scratch for `budget` epochs and returns metrics with at
    least "val_acc". Start with every config alive and budget = min_budget; while more than one config is alive:
    1. call `train_for(config, budget)` once for every alive config (a new run at this budget: never reuse a
       result from a smaller budget: a config that starts fast may end low);
    2. keep the best `max(1, len(alive) // eta)` of them by this round's "val_acc", highest first;
    3. multiply the budget by eta.
    When one config remains, it is the answer (it is not trained again). Returns (best_config, history): history
    is the list of (config, budget, metrics), one per call of train_for, in the order of the calls.

    Example: 9 configs, min_budget=1, eta=3: 9 runs of 1 epoch, the best 3 get 3 epochs each, the best of those
    is returned: 9 * 1 + 3 * 3 = 18 epochs, where training all 9 for 3 epochs costs 27. Watch for: sorting the
    wrong way (keeping the worst), a budget that never grows, one round too many or too few.
    """
    raise NotImplementedError("successive_halving")
