"""Reshapes the flat digits channel-last (n, 8, 8, 1) before interpolating, so width is read as channels."""
CAUGHT_BY = "test_prepare_digits_upsamples_one_channel"
MESSAGE_MENTIONS = "the image comes out transposed"
MESSAGE_MENTIONS_KO = "이미지가 전치되어 나왔습니다"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn.functional as F  # noqa: E402


def prepare_digits(x, size):
    images = F.interpolate(x.reshape(-1, 8, 8, 1), size=(size, 1), mode="bilinear", align_corners=False)
    return F.interpolate(images.permute(0, 3, 2, 1), size=(size, size), mode="bilinear", align_corners=False)
