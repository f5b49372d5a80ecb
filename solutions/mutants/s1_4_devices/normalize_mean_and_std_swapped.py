"""Subtracts the standard deviation and divides by the mean: the two lists are passed to the arithmetic swapped."""
CAUGHT_BY = "test_normalize_channels_values"
MESSAGE_MENTIONS = "mean and std were swapped"
MESSAGE_MENTIONS_KO = "mean과 std가 뒤바뀌었습니다"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def normalize_channels(x, mean, std):
    mean = torch.tensor(mean, dtype=x.dtype, device=x.device).view(-1, 1, 1)  # noqa: F405
    std = torch.tensor(std, dtype=x.dtype, device=x.device).view(-1, 1, 1)  # noqa: F405
    return (x - std) / mean
