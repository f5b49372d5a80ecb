"""Assigns a new nn.Parameter to each Linear's weight instead of filling it in place: an optimizer made before keeps the
old tensors."""
CAUGHT_BY = "test_init_weights_kaiming_normal_and_zero_bias"
MESSAGE_MENTIONS = "replaced parameters with new tensors"
MESSAGE_MENTIONS_KO = "새 텐서로 바꿨습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


def init_weights(model):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            std = (2 / module.in_features) ** 0.5
            module.weight = nn.Parameter(torch.randn(module.out_features, module.in_features) * std)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model
