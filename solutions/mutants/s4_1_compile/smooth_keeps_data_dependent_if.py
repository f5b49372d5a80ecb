"""Keeps `if h.sum() > 0:`, a branch on tensor data: a graph break."""
CAUGHT_BY = "test_smooth_net_has_no_graph_breaks"
MESSAGE_MENTIONS = "torch.where"
MESSAGE_MENTIONS_KO = "torch.where"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_1_compile import SmoothNet as _Reference  # noqa: E402


class SmoothNet(_Reference):
    def forward(self, x):
        h = torch.tanh(self.proj(x))
        h = h / (h.abs().max() + 1e-6)
        if h.sum() > 0:
            return self.head(h)
        return self.head(-h)
