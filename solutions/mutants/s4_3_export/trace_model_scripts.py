"""Scripts the model in trace_model (torch.jit.script, the safer of the two) instead of tracing it: the result keeps
both branches, so it does not show what tracing records."""
CAUGHT_BY = "test_trace_freezes_the_example_branch"
MESSAGE_MENTIONS = "follows both branches"
MESSAGE_MENTIONS_KO = "두 분기를 모두 따릅니다"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def trace_model(model, example):
    return torch.jit.script(model.eval())
