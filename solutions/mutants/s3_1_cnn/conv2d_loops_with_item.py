"""Loops over output pixels and stores Python floats (.item()), which cuts the autograd graph."""
CAUGHT_BY = "test_conv2d_gradients_match"
MESSAGE_MENTIONS = ".item()"
MESSAGE_MENTIONS_KO = ".item()"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402
from solutions.s3_1_cnn import _pair  # noqa: E402


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = _pair(stride), _pair(padding), _pair(dilation)
    x = F.pad(x, (pw, pw, ph, ph))
    batch, _, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    out_h = (height - dh * (kh - 1) - 1) // sh + 1
    out_w = (width - dw * (kw - 1) - 1) // sw + 1
    out = torch.zeros(batch, out_channels, out_h, out_w, dtype=x.dtype, device=x.device)
    for b in range(batch):
        for o in range(out_channels):
            for i in range(out_h):
                for j in range(out_w):
                    patch = x[b, :, i * sh:i * sh + dh * (kh - 1) + 1:dh, j * sw:j * sw + dw * (kw - 1) + 1:dw]
                    value = (patch * weight[o]).sum() + (bias[o] if bias is not None else 0)
                    out[b, o, i, j] = value.item()
    return out
