"""The original, non-inverted dropout: survivors unscaled in training, x * (1 - p) in eval mode."""
CAUGHT_BY = "test_dropout_is_the_identity_in_eval_mode"
MESSAGE_MENTIONS = "non-inverted"
MESSAGE_MENTIONS_KO = "역이 아닌 드롭아웃"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training:
            return x * (1 - self.p)
        return x * (torch.rand_like(x) >= self.p).to(x.dtype)
