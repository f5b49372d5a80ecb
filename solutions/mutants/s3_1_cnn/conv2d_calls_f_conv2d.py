"""Calls torch's own F.conv2d instead of writing the convolution by hand."""
CAUGHT_BY = "test_conv2d_is_written_by_hand"
MESSAGE_MENTIONS = "F.conv2d"
MESSAGE_MENTIONS_KO = "F.conv2d"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    return F.conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation)  # noqa: F405
