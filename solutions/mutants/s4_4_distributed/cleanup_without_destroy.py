"""Only waits at a barrier in cleanup and never destroys the process group."""
CAUGHT_BY = "test_cleanup_destroys_process_group"
MESSAGE_MENTIONS = "destroy_process_group"
MESSAGE_MENTIONS_KO = "destroy_process_group"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.distributed as dist  # noqa: E402


def cleanup():
    dist.barrier()
