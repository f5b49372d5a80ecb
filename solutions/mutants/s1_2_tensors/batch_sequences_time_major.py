"""Stacks the sequences on axis 1, giving (time, batch, features), the layout of nn.RNN's default."""
CAUGHT_BY = "test_batch_sequences_cats_then_stacks"
MESSAGE_MENTIONS = "time-major"
MESSAGE_MENTIONS_KO = "시간 축이 먼저인"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def batch_sequences(sequences):
    return torch.stack([torch.cat(chunks, dim=0) for chunks in sequences], dim=1)
