"""Takes the op called most often as the one that dominates."""
CAUGHT_BY = "test_dominant_op_picks_the_largest_self_cpu_time"
MESSAGE_MENTIONS = "the row called most often"
MESSAGE_MENTIONS_KO = "가장 자주 호출된 행"
MESSAGE_MENTIONS_KO = "가장 자주 호출된 행"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def dominant_op(prof):
    return max(prof.key_averages(), key=lambda row: row.count).key
