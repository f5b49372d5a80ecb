"""Builds the causal mask with triu() instead of tril(): each query sees itself and the future."""
CAUGHT_BY = "test_causal_mask_hides_the_future"
MESSAGE_MENTIONS = "upper triangle"
MESSAGE_MENTIONS_KO = "상삼각 행렬입니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def causal_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).triu()
