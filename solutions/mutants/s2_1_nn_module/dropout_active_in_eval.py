"""Never reads self.training: drops and scales in eval mode too."""
CAUGHT_BY = "test_dropout_is_the_identity_in_eval_mode"
MESSAGE_MENTIONS = "drops nothing"
MESSAGE_MENTIONS_KO = "아무것도 버리지 않습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        return x * (torch.rand_like(x) >= self.p).to(x.dtype) / (1 - self.p)
