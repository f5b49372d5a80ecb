"""Builds mean and std with torch.tensor(values): float32 on the CPU, whatever x is."""
CAUGHT_BY = "test_normalize_channels_follows_input_dtype_and_device"
MESSAGE_MENTIONS = "device=x.device"
MESSAGE_MENTIONS_KO = "device=x.device"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def normalize_channels(x, mean, std):
    mean = torch.tensor(mean).view(-1, 1, 1)  # noqa: F405
    std = torch.tensor(std).view(-1, 1, 1)  # noqa: F405
    return (x - mean) / std
