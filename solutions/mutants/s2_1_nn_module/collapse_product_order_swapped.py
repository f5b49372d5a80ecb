"""Multiplies the weights in the wrong order, W1 @ W2: right shape only for square layers, and wrong values there."""
CAUGHT_BY = "test_collapse_linears_equals_the_two_layers"
MESSAGE_MENTIONS = "wrong order"
MESSAGE_MENTIONS_KO = "곱의 순서가 뒤바뀐"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


def collapse_linears(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(first.weight @ second.weight)
        merged.bias.copy_(second.weight @ first.bias + second.bias)
    return merged
