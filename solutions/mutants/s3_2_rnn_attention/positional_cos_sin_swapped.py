"""Puts the cosines in the even columns and the sines in the odd ones."""
CAUGHT_BY = "test_positional_encoding_is_sinusoidal"
MESSAGE_MENTIONS = "sines and cosines are swapped"
MESSAGE_MENTIONS_KO = "sin과 cos이 뒤바뀌었습니다"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import math  # noqa: E402

import torch  # noqa: E402


def sinusoidal_positional_encoding(max_len, d_model):
    position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
    frequency = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_len, d_model)
    pe[:, 0::2] = torch.cos(position * frequency)
    pe[:, 1::2] = torch.sin(position * frequency)
    return pe
