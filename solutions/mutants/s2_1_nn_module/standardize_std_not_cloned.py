"""Registers the caller's std tensor itself, not a clone: changing it later changes the layer."""
CAUGHT_BY = "test_standardize_keeps_buffers_not_parameters"
MESSAGE_MENTIONS = "std was registered without clone()"
MESSAGE_MENTIONS_KO = "std를 clone() 없이 등록했습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean.clone())
        self.register_buffer("std", std)

    def forward(self, x):
        return (x - self.mean) / self.std
