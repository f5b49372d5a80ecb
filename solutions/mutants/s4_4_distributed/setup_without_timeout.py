"""Calls init_process_group without a timeout: a stuck collective would wait 30 minutes."""
CAUGHT_BY = "test_setup_joins_group_with_a_timeout"
MESSAGE_MENTIONS = "timeout"
MESSAGE_MENTIONS_KO = "timeout"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import os  # noqa: E402

import torch.distributed as dist  # noqa: E402


def setup(rank, world_size, port, backend="gloo", timeout_s=30.0):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group(backend, rank=rank, world_size=world_size)
