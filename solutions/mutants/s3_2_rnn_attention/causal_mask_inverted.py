"""Builds the causal mask as the upper triangle (nn.Transformer's True = ignore convention) for an attend-mask."""
CAUGHT_BY = "test_causal_mask_hides_the_future"
MESSAGE_MENTIONS = "True means attend"
MESSAGE_MENTIONS_KO = "True는 참조할 수 있는 위치"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def causal_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(diagonal=1)
