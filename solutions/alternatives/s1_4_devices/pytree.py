"""1.4 written another way: pytree mapping, like-constructors, and early returns."""
import torch
from torch.utils import _pytree as pytree


def resolve_device(spec="auto"):
    if spec != "auto":
        device = torch.device(spec)
        if device.type != "cuda":
            return device
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise ValueError("CUDA was requested but this machine has no usable CUDA device")
        if device.index is not None and not 0 <= device.index < count:
            raise ValueError(f"cuda:{device.index} does not exist: there are {count} CUDA devices")
        return device
    for kind, available in (("cuda", torch.cuda.is_available), ("mps", torch.backends.mps.is_available)):
        if available():
            return torch.device(kind, 0)
    return torch.device("cpu")


def to_device(batch, device):
    device = torch.device(device)
    move = lambda t: t.to(device=device, non_blocking=device.type == "cuda")  # noqa: E731
    return pytree.tree_map_only(torch.Tensor, move, batch)


def move_model(model, device):
    model.to(device=device)
    return model


def positions_like(tokens):
    time = tokens.size(1)
    row = torch.arange(time, dtype=torch.int64, device=tokens.device)
    return row.unsqueeze(0).repeat(tokens.size(0), 1)


def normalize_channels(x, mean, std):
    shape = (1, len(mean), 1, 1)
    return x.sub(x.new_tensor(mean).reshape(shape)).div(x.new_tensor(std).reshape(shape))


def stage_for_device(x, device):
    device = torch.device(device)
    if device.type != "cuda":
        return x.to(device)
    pinned = x if x.is_pinned() else x.pin_memory()
    return pinned.to(device, non_blocking=True)
