"""Creates the output layer inside forward, so it has fresh random weights on every call."""
CAUGHT_BY = "test_mlp_matches_functional_recomputation"
MESSAGE_MENTIONS = "inside forward"
MESSAGE_MENTIONS_KO = "forward 안이 아니라 __init__에서"
from solutions.s2_1_nn_module import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class MLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        sizes = [in_features, *hidden]
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = nn.Linear(sizes[-1], out_features)
        self.out_features = out_features

    def forward(self, x):
        for layer in self.hidden:
            x = torch.relu(layer(x))
        self.out = nn.Linear(x.shape[-1], self.out_features)
        return self.out(x)
