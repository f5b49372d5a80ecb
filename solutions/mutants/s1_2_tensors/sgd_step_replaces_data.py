"""Assigns param.data = param.data - lr * grad: the right values, in new memory that a view taken before never sees."""
CAUGHT_BY = "test_sgd_step_updates_in_place"
MESSAGE_MENTIONS = "new memory"
MESSAGE_MENTIONS_KO = "새 메모리에"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def sgd_step_(param, grad, lr):
    param.data = param.data - lr * grad
