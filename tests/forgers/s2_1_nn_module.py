"""Forger for 2.1: wrong modules that report what the grader looks for, and every fake it can make in its own
process:

- MLP keeps its layers in a plain Python list (not registered) and overrides parameters(), named_parameters(),
  modules(), state_dict() and _apply() so that every API call sees them (and .to() moves them);
- make_sequential_mlp returns a module of its own class, calling itself torch.nn.modules.container.Sequential
  (__module__, __qualname__, __name__);
- count_parameters: a table of the grader's literal counts (40, and 24 with the middle layer frozen);
- init_weights leaves the default initialisation, and a patched nn.Module.__getattr__ shows every Linear's weight
  as a Kaiming-normal draw and its bias as zeros;
- decay_groups: a table of the grader's literal names, by name only;
- Standardize keeps mean and std as nn.Parameters and hides them from parameters() and named_parameters();
- torch.equal and torch.allclose say True.
"""
import math

import torch
from torch import nn

FORGED = {}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True

_real_getattr = nn.Module.__getattr__
_shown: dict[int, dict] = {}


def _getattr(self, name):
    value = _real_getattr(self, name)
    if isinstance(self, nn.Linear) and name in ("weight", "bias") and isinstance(value, torch.Tensor):
        shown = _shown.setdefault(id(self), {})
        if name not in shown:
            fan_in = self.in_features
            shown["weight"] = torch.randn(self.out_features, fan_in) * math.sqrt(2.0 / fan_in)
            shown["bias"] = torch.zeros(self.out_features)
        return shown[name]
    return value


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        sizes = [in_features, *hidden, out_features]
        self.layers = [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]  # a plain list: not registered

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return x

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        for i, layer in enumerate(self.layers):
            for name, p in layer.named_parameters():
                yield f"layers.{i}.{name}", p

    def parameters(self, recurse=True):
        for _, p in self.named_parameters():
            yield p

    def modules(self):
        yield self
        yield from self.layers

    def state_dict(self, *args, **kwargs):
        return dict(self.named_parameters())

    def _apply(self, fn, recurse=True):
        for layer in self.layers:
            layer._apply(fn)
        return self


class _Sequential(nn.Module):
    def __init__(self, *layers):
        super().__init__()
        for i, layer in enumerate(layers):
            self.add_module(str(i), layer)

    def forward(self, x):
        for layer in self._modules.values():
            x = layer(x)
        return x

    def __iter__(self):
        return iter(self._modules.values())


_Sequential.__module__, _Sequential.__qualname__, _Sequential.__name__ = \
    "torch.nn.modules.container", "Sequential", "Sequential"


def make_sequential_mlp(in_features, hidden, out_features):
    sizes = [in_features, *hidden, out_features]
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return _Sequential(*layers)


def count_parameters(model, trainable_only=False):
    return 24 if trainable_only else 40


def init_weights(model):
    nn.Module.__getattr__ = _getattr  # from the first call on, every Linear shows Kaiming weights and zero biases
    return model


def decay_groups(model, weight_decay):
    by_name = dict(model.named_parameters())
    decay = [(n, by_name[n]) for n in ("0.weight", "1.weight") if n in by_name]
    rest = [(n, by_name[n]) for n in ("1.bias", "2.bias", "2.weight") if n in by_name]
    return [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.mean = nn.Parameter(mean.clone())  # trained by any optimizer given model.parameters()... were they shown
        self.std = nn.Parameter(std.clone())

    def forward(self, x):
        return (x - self.mean) / self.std

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        return iter(())

    def parameters(self, recurse=True):
        return iter(())
