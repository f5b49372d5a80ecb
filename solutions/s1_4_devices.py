"""Reference solution for 1.4 (the task is in exercises/s1_4_devices.py)."""
import torch


def resolve_device(spec="auto"):
    if spec == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    device = torch.device(spec)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"{spec!r} was asked for, but CUDA is not available on this machine.")
        index = device.index or 0
        if index >= torch.cuda.device_count():
            raise ValueError(f"{spec!r} was asked for, but only {torch.cuda.device_count()} CUDA device(s) exist.")
    return device


def to_device(batch, device):
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=torch.device(device).type == "cuda")
    if isinstance(batch, dict):
        return {key: to_device(value, device) for key, value in batch.items()}
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(value, device) for value in batch)
    return batch


def move_model(model, device):
    return model.to(device)


def positions_like(tokens):
    batch, time = tokens.shape
    return torch.arange(time, device=tokens.device).expand(batch, time)


def normalize_channels(x, mean, std):
    mean = torch.tensor(mean, dtype=x.dtype, device=x.device).view(-1, 1, 1)
    std = torch.tensor(std, dtype=x.dtype, device=x.device).view(-1, 1, 1)
    return (x - mean) / std


def stage_for_device(x, device):
    device = torch.device(device)
    if device.type == "cuda":
        return x.pin_memory().to(device, non_blocking=True)
    return x.to(device)
