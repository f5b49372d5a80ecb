"""Returns a hard-coded port (29500) instead of asking the system for a free one."""
CAUGHT_BY = "test_free_port_is_found_at_run_time"
MESSAGE_MENTIONS = "hard-code"
MESSAGE_MENTIONS_KO = "포트를 코드에 고정해 쓰지 마세요"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference


def find_free_port():
    return 29500
