"""Counts the entries of state_dict(), which adds buffers (BatchNorm statistics) and lists tied weights twice."""
CAUGHT_BY = "test_count_parameters_counts_each_parameter_once"
MESSAGE_MENTIONS = "buffers"
MESSAGE_MENTIONS_KO = "state_dict()에는 버퍼"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference


def count_parameters(model, trainable_only=False):
    return sum(t.numel() for t in model.state_dict().values() if t.requires_grad or not trainable_only)
