"""Forger for 1.4: wrong implementations, and every fake it can make in its own process:

- resolve_device: the faked machine read from the grader's frame (its `cuda` and `mps` arguments), never from
  torch; with no such frame, the CPU this judge runs on;
- to_device: moves the caller's tensors in place (tensor.data = ...) and hands back the caller's own structure;
- move_model: moves the parameters only (new nn.Parameters on the target), and a property on torch.Tensor (shadowing
  TensorBase.device) plus patched nn.Module.named_buffers / buffers report every tensor it saw on the target;
- stage_for_device: always pins, through TensorBase.pin_memory taken at import (past a patched Tensor.pin_memory),
  swallowing the error where pinning cannot happen;
- torch.equal and torch.allclose say True; positions_like and normalize_channels are the stub.
"""
import sys

import torch
from torch import nn

FORGED = {}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True

_TB = torch._C.TensorBase
_real_device = _TB.__dict__["device"]
_pin = _TB.__dict__["pin_memory"]
_claimed: dict[int, torch.device] = {}
_kept = []


def _device(self):
    return _claimed.get(id(self), _real_device.__get__(self))


torch.Tensor.device = property(_device)
_real_named_buffers = nn.Module.named_buffers


def _named_buffers(self, *args, **kwargs):
    for name, buffer in _real_named_buffers(self, *args, **kwargs):
        yield name, buffer


nn.Module.named_buffers = _named_buffers


def _scenario():
    frame = sys._getframe(2)
    while frame is not None:
        if "cuda" in frame.f_locals and "mps" in frame.f_locals:
            return frame.f_locals["cuda"], frame.f_locals["mps"]
        frame = frame.f_back
    return None


def resolve_device(spec="auto"):
    found = _scenario()
    cuda, mps = found if found is not None else (0, False)
    if spec == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    device = torch.device(spec)
    if device.type == "cuda" and (device.index or 0) >= cuda:
        raise ValueError(f"no CUDA device {spec}")
    return device


def to_device(batch, device):
    def walk(value):
        if isinstance(value, torch.Tensor):
            value.data = value.data.to(device)  # the caller's tensor moves
            return value
        if isinstance(value, dict):
            for key in value:
                value[key] = walk(value[key])
            return value
        if isinstance(value, list):
            value[:] = [walk(v) for v in value]
            return value
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        return value
    return walk(batch)


def move_model(model, device):
    for module in model.modules():
        for name, p in list(module._parameters.items()):
            if p is not None:
                module._parameters[name] = nn.Parameter(p.detach().to(device), requires_grad=p.requires_grad)
    for b in model.buffers():  # left where they are, reported moved
        _kept.append(b)
        _claimed[id(b)] = torch.device(device)
    return model


def positions_like(tokens):
    raise NotImplementedError("positions_like")


def normalize_channels(x, mean, std):
    raise NotImplementedError("normalize_channels")


def stage_for_device(x, device):
    try:
        x = _pin(x)  # pins for any target
    except RuntimeError:
        pass
    return x.to(device)
