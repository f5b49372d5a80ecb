"""Builds x on the CPU with torch.tensor and then moves it with .to(device): right values, but not made on the
device, as the docstring asks."""
CAUGHT_BY = "test_smoke_test_computes_on_the_given_device"
MESSAGE_MENTIONS = "made a tensor on the CPU"
MESSAGE_MENTIONS_KO = "CPU에 만든 뒤"
import torch  # noqa: E402

from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def smoke_test(device):
    x = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]).to(device)
    return x @ x.T
