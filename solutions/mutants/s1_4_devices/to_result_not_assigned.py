"""Calls tensor.to(device) without using the result, as if it moved the tensor in place like Module.to."""
CAUGHT_BY = "test_to_device_moves_every_tensor_of_a_nested_batch"
MESSAGE_MENTIONS = "use its result"
MESSAGE_MENTIONS_KO = "그 결과를 받아 쓰세요"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def to_device(batch, device):
    if isinstance(batch, torch.Tensor):  # noqa: F405
        batch.to(device)
        return batch
    if isinstance(batch, dict):
        return {key: to_device(value, device) for key, value in batch.items()}
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(value, device) for value in batch)
    return batch
