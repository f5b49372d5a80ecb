"""Leaves the diagonal out of the causal mask, so a position cannot attend to itself."""
CAUGHT_BY = "test_causal_mask_hides_the_future"
MESSAGE_MENTIONS = "diagonal"
MESSAGE_MENTIONS_KO = "대각선(자기 자신)을 포함해"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def causal_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).tril(diagonal=-1)
