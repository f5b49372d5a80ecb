"""Zeroes the bias of every module that has one (the if dedented out of the Linear branch): a LayerNorm's bias too."""
CAUGHT_BY = "test_init_weights_kaiming_normal_and_zero_bias"
MESSAGE_MENTIONS = "changed a LayerNorm's bias"
MESSAGE_MENTIONS_KO = "LayerNorm의 편향(-2.0이었습니다)을 바꿨습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def _init_linear(module):
    if isinstance(module, nn.Linear):
        nn.init.kaiming_normal_(module.weight, mode="fan_in", nonlinearity="relu")
    if getattr(module, "bias", None) is not None:
        nn.init.zeros_(module.bias)


def init_weights(model):
    return model.apply(_init_linear)
