"""Stores mean and std as plain tensor attributes: not in state_dict, left behind by .to(device)."""
CAUGHT_BY = "test_modules_follow_to_meta_device"
MESSAGE_MENTIONS = "register_buffer"
MESSAGE_MENTIONS_KO = "register_buffer"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.mean = mean.clone()
        self.std = std.clone()

    def forward(self, x):
        return (x - self.mean) / self.std
