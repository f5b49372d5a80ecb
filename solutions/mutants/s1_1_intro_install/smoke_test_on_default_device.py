"""Builds the test tensor with torch.arange(6.) alone, so it is on the CPU whatever device was asked for."""
CAUGHT_BY = "test_smoke_test_computes_on_the_given_device"
MESSAGE_MENTIONS = "device=device"
MESSAGE_MENTIONS_KO = "device=device"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def smoke_test(device):
    x = torch.arange(6.0).reshape(2, 3)  # noqa: F405
    return x @ x.T
