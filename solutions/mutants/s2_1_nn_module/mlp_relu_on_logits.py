"""Applies ReLU after every layer of MLP, the last one included, so the logits can never be negative."""
# An activation on the output layer, a frequent cause of "my classifier does not learn":
# https://pytorch.org/tutorials/beginner/basics/buildmodel_tutorial.html (the last Linear returns raw logits)
CAUGHT_BY = "test_mlp_matches_functional_recomputation"
MESSAGE_MENTIONS = "ReLU after the last Linear"
MESSAGE_MENTIONS_KO = "마지막 Linear 뒤에도 ReLU"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference


class MLP(MLP):  # noqa: F405
    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))  # noqa: F405
        return x
