"""5.1 Project: ResNet on CIFAR-10 — reference solution."""
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
    pixels = torch.from_numpy(images).to(torch.float64) / 255.0  # (N, H, W, C)
    mean = pixels.mean(dim=(0, 1, 2))
    std = pixels.std(dim=(0, 1, 2), correction=0)
    return mean.float(), std.float()


def build_transforms(mean: torch.Tensor, std: torch.Tensor) -> tuple[Callable, Callable]:
    normalize = [transforms.ToTensor(), transforms.Normalize(mean.tolist(), std.tolist())]
    train = transforms.Compose([transforms.RandomCrop(32, padding=PAD), transforms.RandomHorizontalFlip(), *normalize])
    return train, transforms.Compose(normalize)


def cifar10_datasets(root: str | Path, *, download: bool = False,
                     dataset_class: type[CIFAR10] = CIFAR10) -> tuple[Dataset, Dataset]:
    raw = dataset_class(root, train=True, download=download)
    train_transform, test_transform = build_transforms(*channel_stats(raw.data))
    return (dataset_class(root, train=True, transform=train_transform),
            dataset_class(root, train=False, transform=test_transform))


class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                          nn.BatchNorm2d(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, num_blocks: Sequence[int] = (3, 3, 3), widths: Sequence[int] = (16, 32, 64),
                 num_classes: int = 10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]),
                                  nn.ReLU())
        layers, channels = [], widths[0]
        for stage, (blocks, width) in enumerate(zip(num_blocks, widths)):
            for index in range(blocks):
                stride = 2 if stage > 0 and index == 0 else 1
                layers.append(BasicBlock(channels, width, stride))
                channels = width
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layers(self.stem(x))  # (N, widths[-1], 32 / 2**(stages-1), ...)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def warmup_cosine_scheduler(optimizer: torch.optim.Optimizer, total_steps: int,
                            warmup_steps: int) -> torch.optim.lr_scheduler.LRScheduler:
    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = min(step - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps)
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _device_of(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def train_one_epoch(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer,
                    scheduler: torch.optim.lr_scheduler.LRScheduler) -> float:
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count


def evaluate(model: nn.Module, loader: DataLoader) -> tuple[float, float]:
    model.eval()
    device = _device_of(model)
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            total += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(dim=1) == y).sum().item()
            count += len(y)
    return total / count, correct / count


def search(configs: Sequence[dict], train_and_evaluate: Callable[[dict], dict]) -> tuple[dict, list[dict]]:
    results = [train_and_evaluate(config) for config in configs]
    best = max(range(len(configs)), key=lambda i: (results[i]["val_acc"], -i))
    return configs[best], results


def sample_config(space: dict, generator: torch.Generator) -> dict:
    config = {}
    for name, (kind, *args) in space.items():
        u = torch.rand((), generator=generator, dtype=torch.float64).item()  # in [0, 1)
        if kind == "log_uniform":
            low, high = math.log(args[0]), math.log(args[1])
            config[name] = math.exp(low + u * (high - low))
        elif kind == "uniform":
            config[name] = args[0] + u * (args[1] - args[0])
        elif kind == "choice":
            options = args[0]
            config[name] = options[min(int(u * len(options)), len(options) - 1)]
        else:
            raise ValueError(f"unknown kind {kind!r} for {name!r}")
    return config


def random_search(space: dict, n_trials: int, train_and_evaluate: Callable[[dict], dict],
                  generator: torch.Generator) -> tuple[dict, list[tuple[dict, dict]]]:
    configs = [sample_config(space, generator) for _ in range(n_trials)]
    best, results = search(configs, train_and_evaluate)
    return best, list(zip(configs, results))


def successive_halving(configs: Sequence[dict], train_for: Callable[[dict, int], dict], min_budget: int,
                       eta: int = 3) -> tuple[dict, list[tuple[dict, int, dict]]]:
    alive, budget, history = list(configs), min_budget, []
    while len(alive) > 1:
        scores = []
        for config in alive:
            metrics = train_for(config, budget)  # a fresh run at this budget: nothing carried over
            history.append((config, budget, metrics))
            scores.append(metrics["val_acc"])
        ranked = sorted(range(len(alive)), key=lambda i: -scores[i])  # best first; stable on ties
        alive = [alive[i] for i in ranked[:max(1, len(alive) // eta)]]
        budget *= eta
    return alive[0], history
