"""Uses 10000^(i / d_model) for column pair i instead of 10000^(2i / d_model)."""
CAUGHT_BY = "test_positional_encoding_is_sinusoidal"
MESSAGE_MENTIONS = "exponent uses i instead of 2i"
MESSAGE_MENTIONS_KO = "지수에 2i가 아니라 i를 썼습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def sinusoidal_positional_encoding(max_len, d_model):
    position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
    frequency = 1.0 / 10000 ** (torch.arange(d_model // 2, dtype=torch.float32) / d_model)
    pe = torch.zeros(max_len, d_model)
    pe[:, 0::2] = torch.sin(position * frequency)
    pe[:, 1::2] = torch.cos(position * frequency)
    return pe
