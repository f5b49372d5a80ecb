"""Forgets super().__init__() in MLP.__init__: assigning the first layer raises "cannot assign module before
Module.__init__() call"."""
# The most common nn.Module error of the PyTorch forums; the tutorial's first line of __init__:
# https://pytorch.org/tutorials/beginner/basics/buildmodel_tutorial.html#define-the-class
CAUGHT_BY = "test_mlp_parameters_are_registered"
MESSAGE_MENTIONS = "super().__init__()"
MESSAGE_MENTIONS_KO = "super().__init__()"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference


class MLP(nn.Module):  # noqa: F405
    def __init__(self, in_features, hidden, out_features):
        sizes = [in_features, *hidden, out_features]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))  # noqa: F405

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.relu(layer(x))  # noqa: F405
        return self.layers[-1](x)
