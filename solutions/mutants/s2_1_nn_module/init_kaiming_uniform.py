"""Initialises with nn.init.kaiming_uniform_ (what nn.Linear's own reset uses) where Kaiming-normal is asked:
the same std, but a uniform distribution with no tails."""
# kaiming_uniform_ and kaiming_normal_ side by side: https://pytorch.org/docs/stable/nn.init.html
CAUGHT_BY = "test_init_weights_kaiming_normal_and_zero_bias"
MESSAGE_MENTIONS = "not kaiming_uniform_"
MESSAGE_MENTIONS_KO = "kaiming_uniform_이 아니라"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference


def _uniform(module):
    if isinstance(module, nn.Linear):  # noqa: F405
        nn.init.kaiming_uniform_(module.weight, mode="fan_in", nonlinearity="relu")  # noqa: F405
        if module.bias is not None:
            nn.init.zeros_(module.bias)  # noqa: F405


def init_weights(model):
    return model.apply(_uniform)
