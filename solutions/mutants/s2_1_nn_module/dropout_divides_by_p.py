"""Scales the survivors by 1 / p, the drop probability, instead of 1 / (1 - p), the keep probability."""
CAUGHT_BY = "test_dropout_zeroes_p_and_scales_survivors"
MESSAGE_MENTIONS = "scaled by p or 1 / p"
MESSAGE_MENTIONS_KO = "p나 1 / p를 곱했습니다"
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
        return x * (torch.rand_like(x) >= self.p).to(x.dtype) / self.p
