"""Zeroes module.bias without checking it exists: a Linear made with bias=False has bias None."""
CAUGHT_BY = "test_init_weights_kaiming_normal_and_zero_bias"
MESSAGE_MENTIONS = "bias=False has module.bias None"
MESSAGE_MENTIONS_KO = "bias=False로 만든 Linear는 module.bias가 None입니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def _init_linear(module):
    if isinstance(module, nn.Linear):
        nn.init.kaiming_normal_(module.weight, mode="fan_in", nonlinearity="relu")
        nn.init.zeros_(module.bias)


def init_weights(model):
    return model.apply(_init_linear)
