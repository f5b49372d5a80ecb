"""Builds the sizes from hidden[0]: make_sequential_mlp(5, [], 3), a single Linear, raises IndexError."""
CAUGHT_BY = "test_sequential_matches_functional_recomputation"
MESSAGE_MENTIONS = "hidden may be empty"
MESSAGE_MENTIONS_KO = "hidden은 비어 있을 수 있습니다"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def make_sequential_mlp(in_features, hidden, out_features):
    sizes = [in_features, hidden[0], *hidden[1:], out_features]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
