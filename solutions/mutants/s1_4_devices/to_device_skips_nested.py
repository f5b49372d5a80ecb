"""Moves only the top-level tensors of a dict batch, not those nested in lists and dicts."""
CAUGHT_BY = "test_to_device_moves_every_tensor_of_a_nested_batch"
MESSAGE_MENTIONS = "every tensor"
MESSAGE_MENTIONS_KO = "구조 안의 모든 텐서에 대해"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def to_device(batch, device):
    if isinstance(batch, torch.Tensor):  # noqa: F405
        return batch.to(device)
    return {key: value.to(device) if isinstance(value, torch.Tensor) else value  # noqa: F405
            for key, value in batch.items()}
