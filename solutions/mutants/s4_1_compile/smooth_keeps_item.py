"""Keeps `.item()` to get the scale as a Python float: a graph break."""
CAUGHT_BY = "test_smooth_net_has_no_graph_breaks"
MESSAGE_MENTIONS = ".item()"
MESSAGE_MENTIONS_KO = ".item()"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_1_compile import SmoothNet as _Reference  # noqa: E402


class SmoothNet(_Reference):
    def forward(self, x):
        h = torch.tanh(self.proj(x))
        h = h / (h.abs().max().item() + 1e-6)
        return torch.where(h.sum() > 0, self.head(h), self.head(-h))
