"""Wraps mean and std in nn.Parameter, so the optimizer would train the fixed normalisation."""
CAUGHT_BY = "test_standardize_keeps_buffers_not_parameters"
MESSAGE_MENTIONS = "register_buffer"
MESSAGE_MENTIONS_KO = "register_buffer"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.mean = nn.Parameter(mean.clone())
        self.std = nn.Parameter(std.clone())

    def forward(self, x):
        return (x - self.mean) / self.std
