"""Returns True for real tokens, the attend convention, where nn.MultiheadAttention wants True = padding."""
CAUGHT_BY = "test_key_padding_mask_uses_multihead_convention"
MESSAGE_MENTIONS = "ignore"
MESSAGE_MENTIONS_KO = "패딩인 곳(무시할 곳)에서 True"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference


def make_key_padding_mask(lengths, max_len):
    return torch.arange(max_len, device=lengths.device) < lengths.unsqueeze(1)
