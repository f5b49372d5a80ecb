"""Joins the sequences with torch.cat too: every chunk end to end, no batch axis."""
CAUGHT_BY = "test_batch_sequences_cats_then_stacks"
MESSAGE_MENTIONS = "no batch axis"
MESSAGE_MENTIONS_KO = "배치 축이 없습니다"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def batch_sequences(sequences):
    return torch.cat([torch.cat(chunks, dim=0) for chunks in sequences], dim=0)
