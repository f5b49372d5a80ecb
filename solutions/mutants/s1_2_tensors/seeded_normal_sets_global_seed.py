"""Calls torch.manual_seed(seed) then torch.randn(shape): the numbers are right, but every later random draw of
the program (dropout, shuffling) is reset as a side effect."""
# Reproducibility without touching the global RNG: https://pytorch.org/docs/stable/notes/randomness.html
CAUGHT_BY = "test_seeded_normal_is_reproducible"
MESSAGE_MENTIONS = "torch.manual_seed"
MESSAGE_MENTIONS_KO = "torch.manual_seed"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def seeded_normal(shape, seed):
    torch.manual_seed(seed)  # noqa: F405
    return torch.randn(shape)  # noqa: F405
