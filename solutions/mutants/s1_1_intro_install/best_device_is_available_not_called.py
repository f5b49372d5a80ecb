"""Writes `if torch.cuda.is_available:` without the parentheses: the function object is always true, so every
machine, CPU-only included, gets CUDA."""
# The check that "always says CUDA", on machines that have none:
# https://theneuralbase.com/pytorch/learn/beginner/cuda-version-matching-the-critical-step/
CAUGHT_BY = "test_best_device_is_right_whatever_the_machine"
MESSAGE_MENTIONS = "without the parentheses"
MESSAGE_MENTIONS_KO = "괄호 없는"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def best_device():
    if torch.cuda.is_available:  # noqa: F405
        return torch.device("cuda")  # noqa: F405
    if torch.backends.mps.is_available():  # noqa: F405
        return torch.device("mps")  # noqa: F405
    return torch.device("cpu")  # noqa: F405
