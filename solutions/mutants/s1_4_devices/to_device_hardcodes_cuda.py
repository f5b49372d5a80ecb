"""Moves tensors with .cuda() whatever device was asked for."""
CAUGHT_BY = "test_to_device_moves_every_tensor_of_a_nested_batch"
MESSAGE_MENTIONS = "never .cuda()"
MESSAGE_MENTIONS_KO = ".cuda()는 절대 쓰지 마세요"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def to_device(batch, device):
    if isinstance(batch, torch.Tensor):  # noqa: F405
        return batch.cuda(non_blocking=True)
    if isinstance(batch, dict):
        return {key: to_device(value, device) for key, value in batch.items()}
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(value, device) for value in batch)
    return batch
