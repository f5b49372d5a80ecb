"""Copies each tensor with tensor.to(device) alone: a copy to CUDA blocks the host instead of passing
non_blocking=True."""
CAUGHT_BY = "test_to_device_moves_every_tensor_of_a_nested_batch"
MESSAGE_MENTIONS = "without non_blocking=True"
MESSAGE_MENTIONS_KO = "non_blocking=True 없이"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def to_device(batch, device):
    if isinstance(batch, torch.Tensor):  # noqa: F405
        return batch.to(device)
    if isinstance(batch, dict):
        return {key: to_device(value, device) for key, value in batch.items()}
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(value, device) for value in batch)
    return batch
