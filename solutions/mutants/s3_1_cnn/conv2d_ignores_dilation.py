"""Unfolds without dilation=, so a dilated kernel reads neighbouring pixels."""
CAUGHT_BY = "test_conv2d_matches_f_conv2d"
MESSAGE_MENTIONS = "dilation= is ignored"
MESSAGE_MENTIONS_KO = "dilation=를 무시했습니다"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402
from solutions.s3_1_cnn import _pair  # noqa: E402


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, _, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    stride, padding = _pair(stride), _pair(padding)
    out_h = (height + 2 * padding[0] - (kh - 1) - 1) // stride[0] + 1
    out_w = (width + 2 * padding[1] - (kw - 1) - 1) // stride[1] + 1
    columns = F.unfold(x, (kh, kw), padding=padding, stride=stride)
    out = weight.reshape(out_channels, -1) @ columns
    if bias is not None:
        out = out + bias.view(1, -1, 1)
    return out.reshape(batch, out_channels, out_h, out_w)
