"""Divides the loss by the world size under DDP, which already averages gradients: the step is halved."""
CAUGHT_BY = "test_ddp_matches_single_process_full_batch"
MESSAGE_MENTIONS = "averages twice"
MESSAGE_MENTIONS_KO = "평균을 두 번 내게 됩니다"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from torch.nn import functional as F  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402


def train_ddp(model, x, y, steps, lr):
    ddp_model = DistributedDataParallel(model)
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        (F.mse_loss(ddp_model(x), y) / dist.get_world_size()).backward()
        optimizer.step()
    return ddp_model.module
