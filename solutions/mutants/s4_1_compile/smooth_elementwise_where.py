"""Replaces the `if` with an element-wise torch.where(h > 0, h, -h): a different function
(that is |h|), where the original made one decision for the whole tensor from h.sum()."""
CAUGHT_BY = "test_smooth_net_matches_breaky_net_on_both_branches"
MESSAGE_MENTIONS = "element-wise"
MESSAGE_MENTIONS_KO = "요소별 조건"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s4_1_compile import SmoothNet as _Reference  # noqa: E402


class SmoothNet(_Reference):
    def forward(self, x):
        h = torch.tanh(self.proj(x))
        h = h / (h.abs().max() + 1e-6)
        return self.head(torch.where(h > 0, h, -h))
