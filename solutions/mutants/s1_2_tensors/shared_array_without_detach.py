"""Calls .numpy() on the tensor itself, which raises for a tensor that requires grad."""
CAUGHT_BY = "test_shared_array_sees_writes_to_the_tensor"
MESSAGE_MENTIONS = "detach"
MESSAGE_MENTIONS_KO = "t.detach()는 Autograd 기록이 없는 같은 메모리"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def shared_array(t):
    return t.numpy()
