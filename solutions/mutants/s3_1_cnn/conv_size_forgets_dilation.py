"""Leaves dilation out of the output-size formula, as if the kernel were never spread."""
CAUGHT_BY = "test_conv_output_size_matches_conv2d"
MESSAGE_MENTIONS = "dilation"
MESSAGE_MENTIONS_KO = "dilation"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference


def conv2d_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - kernel_size) // stride + 1
