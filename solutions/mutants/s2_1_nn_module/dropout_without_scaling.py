"""Zeroes elements with probability p but leaves the survivors unscaled: the mean shrinks to (1 - p) * x."""
CAUGHT_BY = "test_dropout_zeroes_p_and_scales_survivors"
MESSAGE_MENTIONS = "were not scaled"
MESSAGE_MENTIONS_KO = "남은 요소에 배율을 곱하지 않았습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x
        return x * (torch.rand_like(x) >= self.p).to(x.dtype)
