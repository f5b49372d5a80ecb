"""Divides into a new tensor (p.grad = p.grad / world_size) instead of averaging .grad in place."""
CAUGHT_BY = "test_hand_allreduce_averages_gradients"
MESSAGE_MENTIONS = "instead of averaging them in place"
MESSAGE_MENTIONS_KO = "제자리에서 평균하지 않고 새 텐서로 바꿨습니다"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.distributed as dist  # noqa: E402


def average_gradients(model):
    world_size = dist.get_world_size()
    for parameter in model.parameters():
        if parameter.grad is not None:
            dist.all_reduce(parameter.grad, op=dist.ReduceOp.SUM)
            parameter.grad = parameter.grad / world_size
