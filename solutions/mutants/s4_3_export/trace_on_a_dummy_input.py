"""Traces on a dummy input of the example's width (torch.rand(1, features), as deployment tutorials do) instead of
on `example`: the trace records the branch the dummy input took, not the one `example` takes."""
CAUGHT_BY = "test_trace_freezes_the_example_branch"
MESSAGE_MENTIONS = "not on the example given"
MESSAGE_MENTIONS_KO = "주어진 예제가 아닌"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def trace_model(model, example):
    return torch.jit.trace(model.eval(), torch.rand(1, example.shape[1]))
