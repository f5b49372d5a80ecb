"""Multiplies by the standard deviation instead of dividing: the inverse of normalising (what un-normalising for
display does)."""
CAUGHT_BY = "test_normalize_channels_values"
MESSAGE_MENTIONS = "multiplied by std instead of divided"
MESSAGE_MENTIONS_KO = "std로 나누지 않고 곱했습니다"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def normalize_channels(x, mean, std):
    mean = torch.tensor(mean, dtype=x.dtype, device=x.device).view(-1, 1, 1)  # noqa: F405
    std = torch.tensor(std, dtype=x.dtype, device=x.device).view(-1, 1, 1)  # noqa: F405
    return (x - mean) * std
