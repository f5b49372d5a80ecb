"""Returns p.full_tensor() without detach(): tensors that still require grad and carry the graph."""
CAUGHT_BY = "test_fsdp_step_matches_unsharded_step"
MESSAGE_MENTIONS = "still requires grad (not detached)"
MESSAGE_MENTIONS_KO = "detach하지 않은"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.distributed.fsdp import fully_shard  # noqa: E402
from torch.nn import functional as F  # noqa: E402


def fsdp_step(model, x, y, lr):
    for module in model.modules():
        if isinstance(module, nn.Linear):
            fully_shard(module)
    fully_shard(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    F.mse_loss(model(x), y).backward()
    optimizer.step()
    return {name: parameter.full_tensor() for name, parameter in model.named_parameters()}
