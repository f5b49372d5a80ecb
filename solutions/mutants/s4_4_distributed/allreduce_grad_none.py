"""Reduces every parameter's .grad without skipping those that have none: all_reduce(None) raises."""
CAUGHT_BY = "test_hand_allreduce_averages_gradients"
MESSAGE_MENTIONS = "Skip parameters whose .grad is None"
MESSAGE_MENTIONS_KO = "None인 매개변수는 건너뛰세요"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.distributed as dist  # noqa: E402


def average_gradients(model):
    world_size = dist.get_world_size()
    for parameter in model.parameters():
        dist.all_reduce(parameter.grad, op=dist.ReduceOp.SUM)
        parameter.grad /= world_size
