"""Ships a trace of a model with data-dependent control flow, taking it as correct: the `if` is
frozen to the example's branch."""
CAUGHT_BY = "test_torchscript_follows_both_branches_after_reload"
MESSAGE_MENTIONS = "torch.jit.script"
MESSAGE_MENTIONS_KO = "torch.jit.script"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def to_torchscript(model, example):
    return torch.jit.trace(model.eval(), (example,))
