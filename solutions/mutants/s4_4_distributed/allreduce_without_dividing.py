"""Sums the gradients over the ranks with all_reduce but never divides by the world size."""
CAUGHT_BY = "test_hand_allreduce_averages_gradients"
MESSAGE_MENTIONS = "divide by the world size"
MESSAGE_MENTIONS_KO = "월드 크기로 한 번 나누세요"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.distributed as dist  # noqa: E402


def average_gradients(model):
    for parameter in model.parameters():
        if parameter.grad is not None:
            dist.all_reduce(parameter.grad)
