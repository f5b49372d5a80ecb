"""Ranks the rows by cpu_time_total: the label around the whole step always wins."""
CAUGHT_BY = "test_dominant_op_picks_the_largest_self_cpu_time"
MESSAGE_MENTIONS = "the row with the largest cpu_time_total"
MESSAGE_MENTIONS_KO = "cpu_time_total이 가장 큰 행"
MESSAGE_MENTIONS_KO = "cpu_time_total이 가장 큰 행"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def dominant_op(prof):
    return max(prof.key_averages(), key=lambda row: row.cpu_time_total).key
