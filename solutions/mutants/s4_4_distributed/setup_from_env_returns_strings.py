"""Returns the environment's values as they are: strings, not ints."""
CAUGHT_BY = "test_setup_from_env_joins_as_torchrun_says"
MESSAGE_MENTIONS = "convert them with int"
MESSAGE_MENTIONS_KO = "int(...)로 바꾸세요"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def setup_from_env(backend="gloo", timeout_s=30.0):
    rank, local_rank, world_size = os.environ["RANK"], os.environ["LOCAL_RANK"], os.environ["WORLD_SIZE"]
    dist.init_process_group(backend, rank=int(rank), world_size=int(world_size),
                            timeout=datetime.timedelta(seconds=timeout_s))
    return rank, local_rank, world_size
