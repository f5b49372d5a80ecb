"""Views straight to (batch, heads, time, d) instead of splitting features then transposing."""
CAUGHT_BY = "test_split_heads_moves_heads_before_time"
MESSAGE_MENTIONS = "transpose"
MESSAGE_MENTIONS_KO = "transpose(1, 2)하세요"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference


def split_heads(x, n_heads):
    batch, time, features = x.shape
    return x.view(batch, n_heads, time, features // n_heads)
