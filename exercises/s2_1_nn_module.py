"""2.1 Defining models with nn.Module — subclasses, nn.Sequential, parameters, buffers, initialisation.

An `nn.Module` is a container that *registers* what it holds: assign an `nn.Module` or an
`nn.Parameter` to an attribute in `__init__` (after `super().__init__()`) and it shows up in
`parameters()`, `named_parameters()`, `state_dict()`, and moves with `.to(device)` / `.to(dtype)`.
Anything else (a plain Python list of layers, a plain tensor attribute) is invisible to all of that:
the optimizer never sees those weights, and `.to("cuda")` leaves them behind. Use `nn.ModuleList` /
`nn.Sequential` for lists of layers and `register_buffer` for tensors that are state but not trained.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 2.1`.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


class MLP(nn.Module):
    """A multilayer perceptron: Linear -> ReLU -> Linear -> ReLU -> ... -> Linear.

    `MLP(5, [7, 6], 3)` has three `nn.Linear` layers, 5 -> 7, 7 -> 6 and 6 -> 3, with a ReLU after
    every layer except the last (the output is raw scores, "logits", which may be negative).
    `MLP(5, [], 3)` is a single Linear 5 -> 3.

    Keep the layers in an `nn.ModuleList` (or an `nn.Sequential`), not in a Python list: a list
    hides them from `parameters()` and from `.to(...)`. Create every layer in `__init__`; `forward`
    only uses them (a layer created inside `forward` gets new random weights on every call).
    """

    def __init__(self, in_features: int, hidden: Sequence[int], out_features: int):
        super().__init__()
        raise NotImplementedError("MLP")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, in_features) -> (batch, out_features)."""
        raise NotImplementedError("MLP.forward")


def make_sequential_mlp(in_features: int, hidden: Sequence[int], out_features: int) -> nn.Sequential:
    """The same architecture as `MLP`, built as one `nn.Sequential` (return the Sequential itself).

    `make_sequential_mlp(5, [7, 6], 3)` is Sequential(Linear(5, 7), ReLU(), Linear(7, 6), ReLU(),
    Linear(6, 3)): no ReLU after the last Linear.
    """
    raise NotImplementedError("make_sequential_mlp")


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """The number of scalar parameters of `model` (a Python int).

    Count `model.parameters()` (which lists a weight shared by two layers once), not `state_dict()`
    (which also holds buffers such as BatchNorm's running statistics). With `trainable_only=True`,
    count only parameters with `requires_grad=True`.

    For MLP(5, [7, 6], 3): (5*7 + 7) + (7*6 + 6) + (6*3 + 3) = 111.
    """
    raise NotImplementedError("count_parameters")


def init_weights(model: nn.Module) -> nn.Module:
    """Re-initialise every `nn.Linear` inside `model`, however deeply nested, in place; return `model`.

    Weights: He (Kaiming) normal initialisation for ReLU networks, computed from the fan-in: normal
    with mean 0 and standard deviation sqrt(2 / in_features). Biases: zeros.
    Other modules (LayerNorm, BatchNorm, ...) keep their parameters.

    A Linear may sit anywhere in the tree (inside a Sequential inside a ModuleList...): visit every
    submodule, not only the direct children.
    """
    raise NotImplementedError("init_weights")


def decay_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """Optimizer parameter groups that apply weight decay only where it makes sense.

    Walk `model.named_parameters()` and return two groups, in this order:
      [{"params": [(name, parameter), ...], "weight_decay": weight_decay},   # matrices (ndim >= 2)
       {"params": [(name, parameter), ...], "weight_decay": 0.0}]            # biases, norm scales (ndim < 2)
    Skip frozen parameters (`requires_grad=False`). Decide by `parameter.ndim`, not by the name:
    a LayerNorm's `weight` is 1-D and must not decay although its name says "weight".

    `torch.optim.AdamW(decay_groups(model, 0.01), lr=1e-3)` accepts (name, parameter) pairs and
    keeps the names in each group's "param_names".
    """
    raise NotImplementedError("decay_groups")


class Standardize(nn.Module):
    """A fixed input normalisation layer: forward(x) = (x - mean) / std, feature-wise.

    `mean` and `std` are (features,) tensors given to `__init__`. They are part of the model's state
    (saved in `state_dict()`, moved by `.to(...)`) but not trained: register them as buffers named
    "mean" and "std" (clones of what you are given). Not as plain attributes (they would stay on the CPU after `.to("cuda")` and be missing
    from `state_dict()`), not as `nn.Parameter` (the optimizer would change them).
    """

    def __init__(self, mean: torch.Tensor, std: torch.Tensor):
        super().__init__()
        raise NotImplementedError("Standardize")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Standardize.forward")
