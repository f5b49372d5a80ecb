"""Writes param = param - lr * grad: a new tensor bound to the local name; the caller's parameter never changes."""
CAUGHT_BY = "test_sgd_step_updates_in_place"
MESSAGE_MENTIONS = "rebinds"
MESSAGE_MENTIONS_KO = "다시 묶을 뿐"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sgd_step_(param, grad, lr):
    with torch.no_grad():
        param = param - lr * grad
