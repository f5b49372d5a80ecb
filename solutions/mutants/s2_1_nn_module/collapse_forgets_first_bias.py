"""Keeps only the second layer's bias: the first layer's bias, carried through W2, is lost."""
CAUGHT_BY = "test_collapse_linears_equals_the_two_layers"
MESSAGE_MENTIONS = "first layer's bias was forgotten"
MESSAGE_MENTIONS_KO = "첫 계층의 편향을 빠뜨렸습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402


def collapse_linears(first, second):
    merged = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(second.bias)
    return merged
