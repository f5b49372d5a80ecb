"""Treats a pool's stride=None as stride 1, like a convolution's default."""
CAUGHT_BY = "test_pool_output_size_matches_maxpool2d"
MESSAGE_MENTIONS = "kernel_size"
MESSAGE_MENTIONS_KO = "kernel_size"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402


def pool2d_output_size(size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    stride = 1 if stride is None else stride
    span = size + 2 * padding - dilation * (kernel_size - 1) - 1
    out = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out
