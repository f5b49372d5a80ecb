"""5.1 written another way: transforms.v2, NumPy statistics, stages in a ModuleList with an optional projection
attribute, SequentialLR(LinearLR, CosineAnnealingLR) for the schedule, inference_mode, an explicit search loop; a space sampled
with Tensor.uniform_ and torch.randint, random search as its own loop, successive halving with heapq.nlargest."""
from __future__ import annotations

import heapq
import math
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision.datasets import CIFAR10
from torchvision.transforms import v2


def channel_stats(images):
    scaled = images.reshape(-1, 3).astype(np.float64) / 255.0  # every pixel a row, channels last
    return torch.tensor(scaled.mean(axis=0), dtype=torch.float32), torch.tensor(scaled.std(axis=0), dtype=torch.float32)


def build_transforms(mean, std):
    finish = [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=mean.tolist(), std=std.tolist())]
    train = v2.Compose([v2.RandomHorizontalFlip(p=0.5), v2.RandomCrop(size=(32, 32), padding=4, fill=0), *finish])
    return train, v2.Compose(finish)


def cifar10_datasets(root: str | Path, *, download=False, dataset_class=CIFAR10):
    mean, std = channel_stats(dataset_class(root=root, train=True, download=download).data)
    train_t, test_t = build_transforms(mean, std)
    train = dataset_class(root=root, train=True, transform=train_t)
    test = dataset_class(root=root, train=False, transform=test_t)
    return train, test


def _conv_bn(cin, cout, kernel, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, padding=kernel // 2, bias=False), nn.BatchNorm2d(cout))


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.first = _conv_bn(in_channels, out_channels, 3, stride)
        self.second = _conv_bn(out_channels, out_channels, 3, 1)
        self.projection = _conv_bn(in_channels, out_channels, 1, stride) \
            if (stride, in_channels) != (1, out_channels) else None

    def forward(self, x):
        skip = x if self.projection is None else self.projection(x)
        return torch.relu(self.second(torch.relu(self.first(x))) + skip)


class ResNet(nn.Module):
    def __init__(self, num_blocks=(3, 3, 3), widths=(16, 32, 64), num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(*_conv_bn(3, widths[0], 3, 1), nn.ReLU(inplace=True))
        self.stages = nn.ModuleList()
        previous = widths[0]
        for i, count in enumerate(num_blocks):
            blocks = []
            for j in range(count):
                blocks.append(BasicBlock(previous, widths[i], 2 if (i > 0 and j == 0) else 1))
                previous = widths[i]
            self.stages.append(nn.Sequential(*blocks))
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.head = nn.Linear(previous, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for stage in self.stages:
            x = stage(x)
        return self.head(self.pool(x).flatten(start_dim=1))


def warmup_cosine_scheduler(optimizer, total_steps, warmup_steps):
    from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR
    warmup = LinearLR(optimizer, start_factor=1.0 / warmup_steps, end_factor=1.0, total_iters=max(warmup_steps - 1, 1))
    cosine = CosineAnnealingLR(optimizer, T_max=total_steps - warmup_steps)
    return SequentialLR(optimizer, [warmup, cosine], milestones=[warmup_steps])


def train_one_epoch(model, loader: DataLoader, optimizer, scheduler):
    model.train()
    device = next(model.parameters()).device
    seen = 0
    summed = 0.0
    criterion = nn.CrossEntropyLoss()
    for images, labels in loader:
        images = images.to(device)
        labels = labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        scheduler.step()
        summed += float(loss) * labels.shape[0]
        seen += labels.shape[0]
    return summed / seen


@torch.inference_mode()
def evaluate(model, loader):
    model.eval()
    device = next(model.parameters()).device
    losses, hits, n = [], 0, 0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        logits = model(images)
        losses.append(nn.functional.cross_entropy(logits, labels).item() * len(labels))
        hits += int((logits.argmax(1) == labels).sum())
        n += len(labels)
    return sum(losses) / n, hits / n


def search(configs, train_and_evaluate):
    results, best, best_acc = [], None, -1.0
    for config in configs:
        metrics = train_and_evaluate(config)
        results.append(metrics)
        if metrics["val_acc"] > best_acc:
            best, best_acc = config, metrics["val_acc"]
    return best, results


def sample_config(space, generator):
    drawn = {}
    for name in space:
        spec = space[name]
        if spec[0] == "choice":
            drawn[name] = spec[1][torch.randint(0, len(spec[1]), (1,), generator=generator).item()]
        elif spec[0] == "uniform":
            drawn[name] = torch.empty((), dtype=torch.float64).uniform_(spec[1], spec[2], generator=generator).item()
        else:  # "log_uniform": uniform in the exponent
            exponent = torch.empty((), dtype=torch.float64).uniform_(math.log(spec[1]), math.log(spec[2]),
                                                                     generator=generator)
            drawn[name] = min(max(math.exp(exponent.item()), spec[1]), spec[2])
    return drawn


def random_search(space, n_trials, train_and_evaluate, generator):
    history, best, best_acc = [], None, None
    for _ in range(n_trials):
        config = sample_config(space, generator)
        metrics = train_and_evaluate(config)
        history.append((config, metrics))
        if best_acc is None or metrics["val_acc"] > best_acc:
            best, best_acc = config, metrics["val_acc"]
    return best, history


def successive_halving(configs, train_for, min_budget, eta=3):
    survivors, history = list(enumerate(configs)), []
    rung = 0
    while len(survivors) > 1:
        budget = min_budget * eta ** rung
        scored = []
        for index, config in survivors:
            metrics = train_for(config, budget)
            history.append((config, budget, metrics))
            scored.append((metrics["val_acc"], -index, index, config))
        survivors = [(index, config) for _, _, index, config in heapq.nlargest(max(1, len(survivors) // eta), scored,
                                                                              key=lambda s: (s[0], s[1]))]
        rung += 1
    return survivors[0][1], history
