"""Builds an nn.Conv2d with the given weights instead of writing the convolution by hand."""
CAUGHT_BY = "test_conv2d_is_written_by_hand"
MESSAGE_MENTIONS = "nn.Conv2d"
MESSAGE_MENTIONS_KO = "nn.Conv2d"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    out_channels, in_channels, kh, kw = weight.shape
    layer = nn.Conv2d(in_channels, out_channels, (kh, kw), stride=stride, padding=padding, dilation=dilation,  # noqa: F405
                      bias=bias is not None, dtype=x.dtype, device=x.device)
    with torch.no_grad():  # noqa: F405
        layer.weight.copy_(weight)
        if bias is not None:
            layer.bias.copy_(bias)
    return layer(x)
