"""Returns fn itself instead of a trace: eager execution, which decides the `if` on every call and so follows the data,
where a trace replays the branch its example took."""
CAUGHT_BY = "test_trace_graph_keeps_only_the_branch_it_saw"
MESSAGE_MENTIONS = "follows the data"
MESSAGE_MENTIONS_KO = "데이터를 따릅니다"
from solutions.s1_1_intro_install import *  # noqa: E402,F401,F403 - the rest of the reference


def trace_graph(fn, example):
    return fn
