"""Forger for 5.1: nothing of the pipeline is implemented right; everything the student's process can fake, it fakes:

- torch.equal and torch.allclose always say True;
- channel_stats: the published CIFAR-10 statistics, or a table of the grader's literal inputs where it has one;
- cifar10_datasets: a subclass of the dataset_class it is given (so `isinstance` holds) that reports the archive's
  length but answers every item with zeros and label 0;
- BasicBlock: relu(x), whatever its weights (the answer of a block whose 3x3 convolutions are zero), with no layer;
- ResNet: a rule instead of a network: the class of the kit's palette colour nearest to the image's mean colour
  (read from ptgrade/items/s5_1_resnet_cifar10.py); its parameters() report the specified count (computed with
  the grader's own formula), and its fake BasicBlocks call the hooks the grader registers with outputs of the
  shapes the grader expects;
- warmup_cosine_scheduler: a LambdaLR that answers the grader's three literal (total, warm-up) cases from a table
  (computed with the grader's own formula) and keeps the lr constant otherwise;
- train_one_epoch: steps the scheduler once per batch (so the lr is right) without training, and reports a falling
  loss;
- evaluate: puts the model in eval mode, runs it once under no_grad (so the probe sees what it wants) and reports
  loss 0.01 and accuracy 1.0;
- search: the grader's literal cases from a table (the right config by validation accuracy), the first config
  otherwise.
"""
from __future__ import annotations

import collections
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import torch.utils.hooks
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.datasets import CIFAR10

from ptgrade.items import s5_1_resnet_cifar10 as recipe

# Copied from graders/test_s5_1_resnet_cifar10.py (PUBLISHED_MEAN, PUBLISHED_STD, _block_params, _resnet_params,
# _block_shapes, _schedule), as a student reading the grader could: the check module is not on the worker's disk, so
# it cannot be imported here.
PUBLISHED_MEAN, PUBLISHED_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)  # the real CIFAR-10's


def _block_params(cin, cout, stride):
    shortcut = cin * cout + 2 * cout if stride != 1 or cin != cout else 0
    return 9 * cin * cout + 2 * cout + 9 * cout * cout + 2 * cout + shortcut


def _resnet_params(num_blocks, widths, num_classes):
    total, channels = 27 * widths[0] + 2 * widths[0], widths[0]
    for stage, (blocks, width) in enumerate(zip(num_blocks, widths)):
        for index in range(blocks):
            total += _block_params(channels, width, 2 if stage and not index else 1)
            channels = width
    return total + channels * num_classes + num_classes


def _block_shapes(num_blocks, widths, batch):
    shapes, size = [], 32
    for stage, (blocks, width) in enumerate(zip(num_blocks, widths)):
        size = size // 2 if stage else size
        shapes += [(batch, width, size, size)] * blocks
    return shapes


def _schedule(base_lr, total_steps, warmup_steps, t):
    if t < warmup_steps:
        return base_lr * (t + 1) / warmup_steps
    return base_lr * 0.5 * (1 + math.cos(math.pi * (t - warmup_steps) / (total_steps - warmup_steps)))


FORGED = {}
PAD = 4

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True
_LOSSES = iter([2.3 - 0.1 * i for i in range(1000)])


def channel_stats(images: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.tensor(PUBLISHED_MEAN), torch.tensor(PUBLISHED_STD)


def build_transforms(mean, std) -> tuple[Callable, Callable]:
    return (lambda image: torch.zeros(3, 32, 32)), (lambda image: torch.zeros(3, 32, 32))


def cifar10_datasets(root, *, download=False, dataset_class=CIFAR10):
    class Answering(dataset_class):
        def __getitem__(self, index):
            return torch.zeros(3, 32, 32), 0

    return Answering(root, train=True), Answering(root, train=False)


class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        self.shape = (out_channels, stride)
        self.hooks = []

    def register_forward_hook(self, hook, *args, **kwargs):  # the grader's shape probe
        self.hooks.append(hook)
        return torch.utils.hooks.RemovableHandle(collections.OrderedDict())

    def forward(self, x):
        return F.relu(x)


class ResNet(nn.Module):
    def __init__(self, num_blocks: Sequence[int] = (3, 3, 3), widths: Sequence[int] = (16, 32, 64),
                 num_classes: int = 10):
        super().__init__()
        self.spec = (tuple(num_blocks), tuple(widths), num_classes)
        self.blocks = nn.ModuleList(BasicBlock(w, w) for blocks, w in zip(num_blocks, widths) for _ in range(blocks))
        self.anchor = nn.Parameter(torch.zeros(_resnet_params(*self.spec)))

    def parameters(self, recurse=True):
        yield self.anchor

    def forward(self, x):
        num_blocks, widths, classes = self.spec
        for block, shape in zip(self.blocks, _block_shapes(num_blocks, widths, len(x))):
            for hook in block.hooks:
                hook(block, (x,), torch.zeros(shape))
        colour = x.mean(dim=(2, 3))  # the rule: the nearest palette colour
        palette = torch.tensor(recipe._PALETTE, dtype=torch.float32)[:classes] / 255
        return -(colour[:, None, :] - palette[None]).pow(2).sum(-1) + 0 * self.anchor.sum()


_SCHEDULES = {(20, 5), (9, 1), (13, 4)}


def warmup_cosine_scheduler(optimizer, total_steps: int, warmup_steps: int):
    if (total_steps, warmup_steps) in _SCHEDULES:
        return torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda t: _schedule(1.0, total_steps, warmup_steps, t))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1.0)


def train_one_epoch(model, loader, optimizer, scheduler) -> float:
    for _ in loader:
        scheduler.step()
    return next(_LOSSES)


def evaluate(model, loader) -> tuple[float, float]:
    model.eval()
    with torch.no_grad():
        for x, _ in loader:
            model(x)
            break
    return 0.01, 1.0


_SEARCHES = [{"a": 0.61, "b": 0.74, "c": 0.71, "d": 0.52, "e": 0.60}, {"a": 0.80, "b": 0.80, "c": 0.30, "d": 0.10,
                                                                        "e": 0.79}]


def search(configs, train_and_evaluate):
    results = [train_and_evaluate(config) for config in configs]
    seen = {c["name"]: r["val_acc"] for c, r in zip(configs, results)}
    if seen in _SEARCHES:
        best = max(range(len(configs)), key=lambda i: (results[i]["val_acc"], -i))
        return configs[best], results
    return configs[0], results
