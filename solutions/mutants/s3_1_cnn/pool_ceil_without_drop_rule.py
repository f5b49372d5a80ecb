"""Rounds up in ceil_mode but keeps a last window that starts in the right padding."""
CAUGHT_BY = "test_pool_output_size_matches_maxpool2d"
MESSAGE_MENTIONS = "ceil_mode"
MESSAGE_MENTIONS_KO = "ceil_mode"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402


def pool2d_output_size(size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    stride = kernel_size if stride is None else stride
    span = size + 2 * padding - dilation * (kernel_size - 1) - 1
    return (math.ceil(span / stride) if ceil_mode else span // stride) + 1
