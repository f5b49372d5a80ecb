"""Uses `view` to merge axes, which raises on a non-contiguous (transposed) tensor."""
CAUGHT_BY = "test_flatten_last_two_handles_any_layout"
MESSAGE_MENTIONS = "contiguous"
MESSAGE_MENTIONS_KO = "contiguous"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def flatten_last_two(x):
    return x.view(*x.shape[:-2], x.shape[-2] * x.shape[-1])
