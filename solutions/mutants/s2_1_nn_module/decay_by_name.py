"""Decides weight decay by the name ("bias" or not), so a LayerNorm's 1-D weight gets decayed."""
CAUGHT_BY = "test_decay_groups_split_by_parameter_dimension"
MESSAGE_MENTIONS = "ndim"
MESSAGE_MENTIONS_KO = "ndim"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference


def decay_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            (no_decay if name.endswith("bias") else decay).append((name, parameter))
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
