"""Uses (C,) constants without reshaping to (C, 1, 1): they broadcast along the width, not the channels."""
CAUGHT_BY = "test_normalize_channels_values"
MESSAGE_MENTIONS = "(C, 1, 1)"
MESSAGE_MENTIONS_KO = "(C, 1, 1)"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def normalize_channels(x, mean, std):
    mean = torch.tensor(mean, dtype=x.dtype, device=x.device)  # noqa: F405
    std = torch.tensor(std, dtype=x.dtype, device=x.device)  # noqa: F405
    return (x - mean) / std
