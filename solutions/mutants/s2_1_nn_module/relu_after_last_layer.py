"""Puts a ReLU after every Linear, the last included, so negative logits are clipped to zero."""
CAUGHT_BY = "test_sequential_matches_functional_recomputation"
MESSAGE_MENTIONS = "last Linear"
MESSAGE_MENTIONS_KO = "마지막 Linear 뒤에"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


def make_sequential_mlp(in_features, hidden, out_features):
    sizes = [in_features, *hidden, out_features]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers)
