"""Makes the tensor with torch.tensor(array), which always copies: a later change to the array never shows in it."""
CAUGHT_BY = "test_shared_tensor_sees_writes_to_the_array"
MESSAGE_MENTIONS = "always copies"
MESSAGE_MENTIONS_KO = "언제나 복사합니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def shared_tensor(array):
    return torch.tensor(array)
