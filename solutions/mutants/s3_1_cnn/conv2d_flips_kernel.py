"""Flips the kernel, computing a textbook convolution where PyTorch computes a cross-correlation."""
CAUGHT_BY = "test_conv2d_matches_f_conv2d"
MESSAGE_MENTIONS = "the kernel is flipped"
MESSAGE_MENTIONS_KO = "커널을 뒤집었습니다"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402
from solutions.s3_1_cnn import _pair  # noqa: E402


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, _, height, width = x.shape
    weight = weight.flip(-2, -1)
    out_channels, _, kh, kw = weight.shape
    stride, padding, dilation = _pair(stride), _pair(padding), _pair(dilation)
    out_h = (height + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    out_w = (width + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    columns = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)
    out = weight.reshape(out_channels, -1) @ columns
    if bias is not None:
        out = out + bias.view(1, -1, 1)
    return out.reshape(batch, out_channels, out_h, out_w)
