"""Stacks a sequence's chunks instead of joining them: they differ in length, so torch.stack raises."""
CAUGHT_BY = "test_batch_sequences_cats_then_stacks"
MESSAGE_MENTIONS = "torch.cat"
MESSAGE_MENTIONS_KO = "torch.cat으로 시간 축을 따라"
from solutions.s1_2_tensors import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402


def batch_sequences(sequences):
    return torch.stack([torch.stack(chunks, dim=0) for chunks in sequences], dim=0)
