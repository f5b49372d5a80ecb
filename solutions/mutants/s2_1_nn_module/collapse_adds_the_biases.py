"""Adds the two biases, b1 + b2, without passing the first one through W2."""
CAUGHT_BY = "test_collapse_linears_equals_the_two_layers"
MESSAGE_MENTIONS = "without going through W2"
MESSAGE_MENTIONS_KO = "W2에 통과시키지 않고"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


def collapse_linears(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(first.bias + second.bias)
    return merged
