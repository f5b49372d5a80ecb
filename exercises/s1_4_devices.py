"""1.4 Devices (CPU vs GPU) — torch.device, choosing a device, moving tensors and modules, pinned memory.

Every tensor lives on one device: `torch.device("cpu")`, `torch.device("cuda", 0)` (the first
NVIDIA GPU), `"mps"` (Apple silicon), or `"meta"` (shapes and dtypes only, no data: handy to test
device-following code on a machine without a GPU). An operation needs all its tensor inputs on the
same device, so code that mixes devices fails with "Expected all tensors to be on the same device".

The rules that keep code device-agnostic (it runs unchanged on a laptop and on a GPU server):

- Pick the device once, from what is available, and pass it around; never hard-code `.cuda()`.
- `tensor.to(device)` returns a **new** tensor and leaves the original where it was: assign the result.
  `module.to(device)` is the exception: it moves the module's parameters and buffers in place (and
  returns the module).
- A tensor you create inside a function does not follow the inputs by itself: `torch.zeros(shape)` is
  on the CPU in float32. Pass `device=x.device, dtype=x.dtype`, or use `torch.zeros_like(x)` /
  `x.new_zeros(shape)`.
- Host-to-GPU copies are faster from page-locked ("pinned") memory and, with `non_blocking=True`, can
  overlap with computation. Pinning needs CUDA, so only pin when the data is going to a CUDA device.
  (`DataLoader(..., pin_memory=True)` does the pinning for you in a real training loop.)

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 1.4`.
"""
from typing import Any, Sequence

import torch
from torch import nn


def resolve_device(spec: str = "auto") -> torch.device:
    """Turn a device request into a `torch.device`.

    - "auto": the best available device: CUDA if `torch.cuda.is_available()`, else MPS if
      `torch.backends.mps.is_available()`, else the CPU. Return `torch.device("cuda")` (or "cuda:0")
      for CUDA.
    - "cuda" or "cuda:<index>": that device, but raise `ValueError` (with a sentence saying why) when
      CUDA is not available or the index is not below `torch.cuda.device_count()`.
    - anything else ("cpu", "meta", "mps", ...): `torch.device(spec)`.

    Ask torch each time the function is called, through `torch.cuda.is_available()`,
    `torch.cuda.device_count()` and `torch.backends.mps.is_available()` (the grader fakes their
    answers to test your function for machines you do not have).
    """
    raise NotImplementedError("resolve_device")


def to_device(batch: Any, device: torch.device) -> Any:
    """Move every tensor of a (possibly nested) batch to `device`; leave everything else as it is.

    `batch` may be a tensor, a dict, a list or a tuple, nested in any way, with non-tensor leaves
    (ints, strings, None) kept unchanged. Return a new structure of the same kind (dict stays dict,
    tuple stays tuple); dtypes do not change. Remember that `tensor.to(device)` does not move the
    tensor: it returns a moved copy. Pass `non_blocking=True` when the target is CUDA.
    """
    raise NotImplementedError("to_device")


def move_model(model: nn.Module, device: torch.device) -> nn.Module:
    """Move `model` to `device`, parameters *and buffers* (e.g. BatchNorm's running statistics), and
    return it (the same module object, moved in place).
    """
    raise NotImplementedError("move_model")


def positions_like(tokens: torch.Tensor) -> torch.Tensor:
    """Position indices for a (batch, time) tensor of token ids: out[b, t] = t.

    An int64 tensor of the same shape, on the device of `tokens` (create it with `device=`).
    """
    raise NotImplementedError("positions_like")


def normalize_channels(x: torch.Tensor, mean: Sequence[float], std: Sequence[float]) -> torch.Tensor:
    """Per-channel normalisation of an image batch (N, C, H, W): (x - mean[c]) / std[c].

    `mean` and `std` are Python sequences of C floats. Turn them into tensors on `x`'s device and
    with `x`'s dtype (a float32 constant would turn a float16 batch into float32, and a CPU constant
    cannot meet a CUDA batch), shaped so that channel c meets mean[c] and std[c] over all of H and W.
    """
    raise NotImplementedError("normalize_channels")


def stage_for_device(x: torch.Tensor, device: torch.device) -> torch.Tensor:
    """Copy a CPU tensor to `device` the fast way.

    When `device` is a CUDA device: put the tensor in pinned (page-locked) memory, then copy it
    without blocking the host. For any other device: a plain copy, without pinning (pinning needs
    CUDA and is pure overhead otherwise).
    """
    raise NotImplementedError("stage_for_device")
