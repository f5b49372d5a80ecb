"""2.1 in another style: layers registered one by one with add_module (output layer first), a
functional forward with F.linear, an OrderedDict Sequential, explicit loops."""
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        sizes = [in_features, *hidden, out_features]
        self.depth = len(sizes) - 1
        self.add_module("head", nn.Linear(sizes[-2], sizes[-1]))
        for i in range(self.depth - 1):
            self.add_module(f"fc{i}", nn.Linear(sizes[i], sizes[i + 1]))

    def forward(self, x):
        for i in range(self.depth - 1):
            layer = getattr(self, f"fc{i}")
            x = F.relu(F.linear(x, layer.weight, layer.bias))
        return F.linear(x, self.head.weight, self.head.bias)


def make_sequential_mlp(in_features, hidden, out_features):
    sizes = [in_features, *hidden, out_features]
    parts = OrderedDict()
    for i in range(len(sizes) - 1):
        parts[f"linear{i}"] = nn.Linear(sizes[i], sizes[i + 1])
        if i < len(sizes) - 2:
            parts[f"act{i}"] = nn.ReLU()
    return nn.Sequential(parts)


def count_parameters(model, trainable_only=False):
    total = 0
    for _, p in model.named_parameters():
        if trainable_only and not p.requires_grad:
            continue
        total += p.numel()
    return int(total)


def init_weights(model):
    with torch.no_grad():
        for module in model.modules():
            if type(module) is nn.Linear or isinstance(module, nn.Linear):
                std = (2.0 / module.in_features) ** 0.5
                module.weight.normal_(0.0, std)
                if module.bias is not None:
                    module.bias.zero_()
    return model


def decay_groups(model, weight_decay):
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    return [{"params": [(n, p) for n, p in named if p.dim() > 1], "weight_decay": weight_decay},
            {"params": [(n, p) for n, p in named if p.dim() <= 1], "weight_decay": 0.0}]


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean).detach().clone())
        self.register_buffer("inv_std", 1.0 / torch.as_tensor(std).detach().clone(), persistent=False)
        self.register_buffer("std", torch.as_tensor(std).detach().clone())

    def forward(self, x):
        return (x - self.mean) / self.std


def collapse_linears(first, second):
    weight = torch.einsum("oh,hi->oi", second.weight.detach(), first.weight.detach())
    bias = torch.addmv(second.bias.detach(), second.weight.detach(), first.bias.detach())
    merged = nn.Linear(weight.shape[1], weight.shape[0])
    merged.weight = nn.Parameter(weight)
    merged.bias = nn.Parameter(bias)
    return merged


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.keep = 1.0 - p

    def forward(self, x):
        if self.training:
            mask = torch.bernoulli(torch.full_like(x, self.keep))
            return torch.where(mask.bool(), x / self.keep, torch.zeros_like(x))
        return x


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.register_parameter("weight", nn.Parameter(torch.full((num_features,), 1.0)))
        self.register_parameter("bias", nn.Parameter(torch.full((num_features,), 0.0)))
        self.register_buffer("running_mean", torch.full((num_features,), 0.0))
        self.register_buffer("running_var", torch.full((num_features,), 1.0))

    def forward(self, x):
        if not self.training:
            scale = self.weight * torch.rsqrt(self.running_var + self.eps)
            return (x - self.running_mean) * scale + self.bias
        n = x.shape[0]
        mean = x.sum(dim=0) / n
        centred = x - mean
        squares = (centred * centred).sum(dim=0)
        out = centred * torch.rsqrt(squares / n + self.eps) * self.weight + self.bias
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mean.detach()
        self.running_var = (1 - m) * self.running_var + m * squares.detach() / (n - 1)
        return out
