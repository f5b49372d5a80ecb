"""A model's layers in the order they run, for observations that match a student's model with a specification
(5.1's ResNet, 5.3's generator): run in the student's process, on the student's model."""
from __future__ import annotations

import torch
from torch import nn


def calls_in_order(model: nn.Module, x, wanted) -> list[tuple[nn.Module, object, object]]:
    """(module, its first input, its output) for each call of a module `wanted(module)` accepts while `model(x)` runs
    once in eval mode without autograd; the model's training mode is restored after."""
    calls = []
    hooks = [module.register_forward_hook(lambda module, args, out: calls.append((module, args[0] if args else None,
                                                                                  out)))
             for module in model.modules() if wanted(module)]
    training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(x)
    finally:
        for hook in hooks:
            hook.remove()
        model.train(training)
    return calls


def norms_reading(calls: list, convs: list[tuple[int, nn.Module, object]]) -> dict[int, int]:
    """For each convolution (its index in `calls`, the module, its output), the index of the BatchNorm2d call that
    read that very output, each BatchNorm taken once."""
    norms = [(i, seen) for i, (module, seen, _) in enumerate(calls) if isinstance(module, nn.BatchNorm2d)]
    paired, taken = {}, set()
    for index, _conv, out in convs:
        match = next((i for i, seen in norms if seen is out and i not in taken), None)
        if match is not None:
            paired[index] = match
            taken.add(match)
    return paired
