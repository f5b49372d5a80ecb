"""Upsamples to a fixed 16x16 (the size the SmallCNN check trains at) instead of the `size` asked for."""
CAUGHT_BY = "test_prepare_digits_upsamples_one_channel"
MESSAGE_MENTIONS = "the size is fixed instead of taken from `size`"
MESSAGE_MENTIONS_KO = "크기를 `size`에서 가져오지 않고 고정했습니다"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402


def prepare_digits(x, size):
    return F.interpolate(x.reshape(-1, 1, 8, 8), size=(16, 16), mode="bilinear", align_corners=False)
