"""Counts the parameter tensors, len(list(model.parameters())), instead of the numbers they hold."""
# "How do I count the parameters of my model?" sum(p.numel() ...), not len(...):
# https://discuss.pytorch.org/t/how-do-i-check-the-number-of-parameters-of-a-model/4325
CAUGHT_BY = "test_count_parameters_counts_each_parameter_once"
MESSAGE_MENTIONS = "counts tensors"
MESSAGE_MENTIONS_KO = "텐서 개수를 셉니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference


def count_parameters(model, trainable_only=False):
    return len([p for p in model.parameters() if p.requires_grad or not trainable_only])
