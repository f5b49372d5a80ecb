"""Reads p as the probability of keeping an element: drops 1 - p of them."""
CAUGHT_BY = "test_dropout_zeroes_p_and_scales_survivors"
MESSAGE_MENTIONS = "keeps elements with probability p"
MESSAGE_MENTIONS_KO = "확률 p로 버리지 않고 확률 p로 남깁니다"
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
        return x * (torch.rand_like(x) < self.p).to(x.dtype) / (1 - self.p)
