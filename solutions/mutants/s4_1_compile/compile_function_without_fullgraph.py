"""Compiles without fullgraph=True: a graph break silently splits the function instead of failing."""
CAUGHT_BY = "test_compiled_function_refuses_graph_breaks"
MESSAGE_MENTIONS = "fullgraph=True"
MESSAGE_MENTIONS_KO = "fullgraph=True"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def compile_function(fn, backend="inductor"):
    return torch.compile(fn, backend=backend)
