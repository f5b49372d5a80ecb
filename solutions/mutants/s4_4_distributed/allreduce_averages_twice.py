"""All-reduces with ReduceOp.AVG, which already averages, and then divides by the world size again."""
CAUGHT_BY = "test_hand_allreduce_averages_gradients"
MESSAGE_MENTIONS = "dividing twice"
MESSAGE_MENTIONS_KO = "두 번 나누면"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.distributed as dist  # noqa: E402


def average_gradients(model):
    for parameter in model.parameters():
        if parameter.grad is not None:
            dist.all_reduce(parameter.grad, op=dist.ReduceOp.AVG)
            parameter.grad /= dist.get_world_size()
