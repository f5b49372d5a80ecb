"""Uses Xavier (Glorot) initialisation, whose std sqrt(2/(fan_in+fan_out)) is meant for tanh, not ReLU."""
CAUGHT_BY = "test_init_weights_kaiming_normal_and_zero_bias"
MESSAGE_MENTIONS = "kaiming_normal_"
MESSAGE_MENTIONS_KO = "kaiming_normal_"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def init_weights(model):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.xavier_normal_(module.weight)
            nn.init.zeros_(module.bias)
    return model
