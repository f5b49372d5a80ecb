"""Keeps the layers in a plain Python list, so they are not registered: no parameters, .to() misses them."""
CAUGHT_BY = "test_mlp_parameters_are_registered"
MESSAGE_MENTIONS = "ModuleList"
MESSAGE_MENTIONS_KO = "ModuleList"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        sizes = [in_features, *hidden, out_features]
        self.layers = [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.relu(layer(x))
        return self.layers[-1](x)
