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


# -- why a nonlinearity, and two layers written by hand: dropout and batch normalisation ------------

def collapse_linears(first: nn.Linear, second: nn.Linear) -> nn.Linear:
    """One new `nn.Linear` that computes exactly what `second(first(x))` computes: why a network needs a nonlinearity.

    A Linear computes first(x) = x @ W1.T + b1 (W1 is `first.weight`, of shape (hidden, in)). Feeding that into
    second(h) = h @ W2.T + b2 gives
        second(first(x)) = x @ (W2 @ W1).T + (W2 @ b1 + b2)
    which is again one Linear(first.in_features, second.out_features), with weight W2 @ W1 and bias W2 @ b1 + b2.
    However many Linears you stack, with nothing between them the stack is a single Linear: no deeper network can
    draw anything but a straight decision boundary. Put a ReLU between them and no single Linear matches any more:
    relu(h) is not linear (relu(-h) != -relu(h)), which is what lets an MLP bend its decision boundary.

    Tiny example: first = Linear(1, 1) with weight 2 and bias 1, second = Linear(1, 1) with weight 3 and bias -1:
    second(first(x)) = 3 * (2x + 1) - 1 = 6x + 2, so the collapsed Linear has weight 6 and bias 2.

    Return a new nn.Linear (both arguments keep their weights), with the values copied in under torch.no_grad()
    (or wrapped in nn.Parameter). Watch for: the order of the product (W2 @ W1, the second layer's weight on the
    left; W1 @ W2 has the wrong shape, or for square layers the wrong values) and the first layer's bias, which goes
    through W2 too (the bias is W2 @ b1 + b2, not b2 nor b1 + b2).
    """
    raise NotImplementedError("collapse_linears")


class Dropout(nn.Module):
    """Dropout written by hand ("inverted" dropout), computing what `nn.Dropout(p)` computes.

    In training mode (`self.training` is True: a new module, or after `model.train()`) each element of x is zeroed
    independently with probability p, and every element that survives is multiplied by 1 / (1 - p), so that each
    output keeps its input's expected value: (1 - p) * x / (1 - p) = x. In eval mode (after `model.eval()`) forward
    returns x unchanged: nothing dropped, nothing scaled. Read `self.training` in `forward`, on every call: the mode
    changes after the module is made.

    Why: a unit cannot count on any other unit being there, so the network learns redundant features instead of
    ones that only work together, a regulariser against over-fitting. Scaling during training keeps the size of the
    activations the same in both modes, so evaluation needs no correction.

    Draw the mask from torch's global generator (`torch.rand_like(x) < p` marks the dropped elements, or
    `torch.bernoulli`): after `torch.manual_seed(s)` the same call gives the same mask. 0 <= p < 1.

    Tiny example: p = 0.5 and x = [2., 2., 2., 2.] in training mode give each element 0. or 4. (about half of
    each); in eval mode [2., 2., 2., 2.].

    Watch for: survivors left unscaled (the mean then shrinks to (1 - p) * x), scaling by p or 1 / p instead of
    1 / (1 - p), dropping with probability 1 - p (keeping with p), and dropping or scaling in eval mode.
    """

    def __init__(self, p: float = 0.5):
        super().__init__()
        raise NotImplementedError("Dropout")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x of any shape -> a tensor of the same shape."""
        raise NotImplementedError("Dropout.forward")


class BatchNorm1d(nn.Module):
    """Batch normalisation written by hand, computing what `nn.BatchNorm1d(num_features, eps, momentum)` computes
    for x of shape (batch, num_features).

    Training mode: normalise each feature (column) with the statistics of this batch, the biased variance
    (divided by batch, not batch - 1):
        mean, var = x.mean(0), x.var(0, unbiased=False)
        out = (x - mean) / torch.sqrt(var + eps) * weight + bias
    and update the running statistics, momentum being the weight of the new batch and the variance unbiased:
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var  + momentum * x.var(0, unbiased=True)
    Eval mode: normalise with running_mean and running_var instead, and update nothing.

    Register `weight` (ones) and `bias` (zeros), of shape (num_features,), as nn.Parameter: they are learned.
    Register `running_mean` (zeros) and `running_var` (ones) with `register_buffer`: they are state (saved in
    `state_dict()`, moved by `.to(...)`) but not learned. Update them under `torch.no_grad()` (or from detached
    statistics), in place or by assigning new tensors to the same names. The gradient must flow through the
    batch's mean and variance: do not detach them in the normalisation.

    Why: each feature reaches the next layer with mean 0 and variance 1 whatever the earlier layers did, which
    lets deep networks train with larger learning rates; at evaluation a single example has no batch to take
    statistics from, so the running averages seen in training stand in.

    Tiny example: x = [[1.], [3.]] in training mode: mean 2, biased variance 1, out = [[-1.], [1.]] (up to eps);
    running_mean = 0.9 * 0 + 0.1 * 2 = 0.2, running_var = 0.9 * 1 + 0.1 * 2 = 1.1 (the unbiased variance of 1 and
    3 is 2).

    Watch for: the unbiased variance in the normalisation (torch's `x.var(0)` is unbiased by default), the biased
    one in running_var, momentum the wrong way round (0.9 on the new batch), running statistics updated in eval mode,
    and batch statistics used in eval mode.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        raise NotImplementedError("BatchNorm1d")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, num_features) -> (batch, num_features)."""
        raise NotImplementedError("BatchNorm1d.forward")
