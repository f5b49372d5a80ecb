"""Scripts the model without model.eval(): the scripted module keeps dropout active."""
CAUGHT_BY = "test_torchscript_follows_both_branches_after_reload"
MESSAGE_MENTIONS = "eval()"
MESSAGE_MENTIONS_KO = "eval()"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def to_torchscript(model, example):
    return torch.jit.script(model)
