"""Builds x with torch.arange(6, device=device), integers: x is int64, so the product is an int64 tensor, not the
float32 the docstring asks for (and a float model fed it raises "expected scalar type Float but found Long")."""
# torch.arange(6) is int64, torch.arange(6.) is float32: the dtype follows the Python number given.
# https://pytorch.org/docs/stable/generated/torch.arange.html
CAUGHT_BY = "test_smoke_test_computes_on_the_given_device"
MESSAGE_MENTIONS = "dtype"
MESSAGE_MENTIONS_KO = "dtype"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def smoke_test(device):
    x = torch.arange(6, device=device).reshape(2, 3)  # noqa: F405
    return x @ x.T
