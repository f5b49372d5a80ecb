"""Joins with LOCAL_RANK as the rank: on one process per machine every process claims rank 0."""
CAUGHT_BY = "test_setup_from_env_joins_as_torchrun_says"
MESSAGE_MENTIONS = "both join as rank 0"
MESSAGE_MENTIONS_KO = "둘 다 랭크 0으로"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def setup_from_env(backend="gloo", timeout_s=30.0):
    local_rank, world_size = int(os.environ["LOCAL_RANK"]), int(os.environ["WORLD_SIZE"])
    dist.init_process_group(backend, rank=local_rank, world_size=world_size,
                            timeout=datetime.timedelta(seconds=timeout_s))
    return local_rank, local_rank, world_size
