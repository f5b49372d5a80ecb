"""Clones before converting ("to be safe"): the array is a copy, and a later change to the tensor never shows."""
CAUGHT_BY = "test_shared_array_sees_writes_to_the_tensor"
MESSAGE_MENTIONS = "a copy"
MESSAGE_MENTIONS_KO = "복사본입니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def shared_array(t):
    return t.detach().clone().numpy()
