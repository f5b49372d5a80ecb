"""2.3 Losses and optimizers, what the student's process observes: the live objects the student's optimizer steps and
schedules are handed there (parameters with their .grad, a throw-away SGD, an nn.Linear holding the judge's start),
and whether a scheduler is torch's LRScheduler. The losses and the steps themselves are the student's functions,
called directly; the judge compares what comes back with torch's own."""
import torch
from torch import nn

from ptgrade.protocol.observation import observation


class _Live(list):
    """A list that stays in the student's process (the judge holds a handle): parameters with their .grad, as an
    optimizer step gets them (a tensor's .grad does not travel)."""


@observation
def parameters_with_grads(impl, values, grads):
    """Leaf tensors holding `values`, each with .grad = the matching `grads`, in a list that stays in the student's
    process."""
    params = _Live()
    for value, grad in zip(values, grads):
        leaf = value.detach().clone().requires_grad_(True)
        leaf.grad = grad.detach().clone()
        params.append(leaf)
    return params


@observation
def throwaway_sgd(impl, base_lrs):
    """A throw-away SGD with one param group per base lr, in the student's process (the judge holds a handle)."""
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in base_lrs]
    return torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, base_lrs)])


@observation
def is_lr_scheduler(impl, scheduler):
    """Whether `scheduler` is a torch.optim.lr_scheduler.LRScheduler (what the student's process says; it counts only
    beside the learning rates the judge checks)."""
    return isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler)


@observation
def linear_from(impl, init):
    """nn.Linear(3, 1, float64) holding `init`, in the student's process (the judge holds a handle)."""
    model = nn.Linear(3, 1, dtype=torch.float64)
    model.load_state_dict(init)
    return model
