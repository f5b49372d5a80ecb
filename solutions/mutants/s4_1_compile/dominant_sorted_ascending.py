"""Sorts by self CPU time but takes the first row of an ascending sort: the cheapest op."""
CAUGHT_BY = "test_dominant_op_picks_the_largest_self_cpu_time"
MESSAGE_MENTIONS = "SMALLEST self time"
MESSAGE_MENTIONS_KO = "self 시간이 가장 작은 행"
MESSAGE_MENTIONS_KO = "self 시간이 가장 작은 행"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def dominant_op(prof):
    return sorted(prof.key_averages(), key=lambda row: row.self_cpu_time_total)[0].key
