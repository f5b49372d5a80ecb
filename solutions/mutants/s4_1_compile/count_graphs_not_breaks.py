"""Returns explain's graph_count (breaks + 1) instead of graph_break_count."""
CAUGHT_BY = "test_count_graph_breaks_matches_dynamo"
MESSAGE_MENTIONS = "graph_count"
MESSAGE_MENTIONS_KO = "graph_count"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def count_graph_breaks(fn, *args):
    return torch._dynamo.explain(fn)(*args).graph_count
