"""Puts all sines in the first half of the columns and all cosines in the second, not interleaved."""
CAUGHT_BY = "test_positional_encoding_is_sinusoidal"
MESSAGE_MENTIONS = "interleaved"
MESSAGE_MENTIONS_KO = "번갈아 넣으세요"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402


def sinusoidal_positional_encoding(max_len, d_model):
    position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
    frequency = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
    return torch.cat([torch.sin(position * frequency), torch.cos(position * frequency)], dim=1)
