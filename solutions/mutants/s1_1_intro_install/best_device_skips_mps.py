"""Falls back from CUDA straight to the CPU, never offering Apple's MPS."""
CAUGHT_BY = "test_best_device_is_right_whatever_the_machine"
MESSAGE_MENTIONS = "mps"
MESSAGE_MENTIONS_KO = "mps"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def best_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")  # noqa: F405
