"""Flattens the kernel with .view instead of .reshape: right on contiguous tensors, a RuntimeError on a weight that is
a transposed view (and conv2d promises F.conv2d's result for any tensor)."""
CAUGHT_BY = "test_conv2d_matches_f_conv2d"
MESSAGE_MENTIONS = "not contiguous"
MESSAGE_MENTIONS_KO = "연속적이지 않은 입력"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s3_1_cnn import _pair  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    batch, _, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    stride, padding, dilation = _pair(stride), _pair(padding), _pair(dilation)
    out_h = (height + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    out_w = (width + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    columns = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)  # (B, C*kh*kw, L)
    out = weight.view(out_channels, -1) @ columns  # (B, out, L)
    if bias is not None:
        out = out + bias.view(1, -1, 1)
    return out.reshape(batch, out_channels, out_h, out_w)
