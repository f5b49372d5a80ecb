"""Seeds model creation with seed + rank, so the ranks start from different weights."""
CAUGHT_BY = "test_ranks_start_from_identical_weights"
MESSAGE_MENTIONS = "seed + rank"
MESSAGE_MENTIONS_KO = "seed + rank"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from solutions.s4_4_distributed import TinyNet  # noqa: E402


def build_model(seed):
    torch.manual_seed(seed + dist.get_rank())
    return TinyNet()
