"""Returns the DistributedDataParallel wrapper instead of the model it wraps (ddp_model.module)."""
CAUGHT_BY = "test_ddp_matches_single_process_full_batch"
MESSAGE_MENTIONS = "not the model it wraps"
MESSAGE_MENTIONS_KO = "그 모델을 감싼 DistributedDataParallel 래퍼입니다"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402


def train_ddp(model, x, y, steps, lr):
    ddp_model = DistributedDataParallel(model, device_ids=[x.device.index] if x.is_cuda else None)
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        F.mse_loss(ddp_model(x), y).backward()
        optimizer.step()
    return ddp_model
