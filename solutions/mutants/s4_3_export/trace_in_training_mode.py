"""Traces without model.eval(): the trace records active dropout."""
CAUGHT_BY = "test_trace_freezes_the_example_branch"
MESSAGE_MENTIONS = "eval()"
MESSAGE_MENTIONS_KO = "eval()"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def trace_model(model, example):
    return torch.jit.trace(model, (example,))
