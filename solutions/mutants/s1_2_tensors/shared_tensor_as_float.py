"""Converts to float32 after wrapping, as for a model's input: on a float64 (or int64) array the conversion copies."""
CAUGHT_BY = "test_shared_tensor_sees_writes_to_the_array"
MESSAGE_MENTIONS = "dtype conversion"
MESSAGE_MENTIONS_KO = "dtype 변환"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def shared_tensor(array):
    return torch.from_numpy(array).float()
