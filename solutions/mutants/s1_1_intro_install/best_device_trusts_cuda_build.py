"""Tests torch.version.cuda (how torch was built) instead of torch.cuda.is_available()."""
CAUGHT_BY = "test_best_device_is_right_whatever_the_machine"
MESSAGE_MENTIONS = "torch.version.cuda"
MESSAGE_MENTIONS_KO = "torch.version.cuda"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def best_device():
    if torch.version.cuda is not None:  # noqa: F405
        return torch.device("cuda")  # noqa: F405
    if torch.backends.mps.is_available():  # noqa: F405
        return torch.device("mps")  # noqa: F405
    return torch.device("cpu")  # noqa: F405
