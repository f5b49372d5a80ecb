"""Stops at torch.jit.script: the module still reads its weights as attributes, nothing is inlined or
folded."""
CAUGHT_BY = "test_frozen_module_inlines_weights_and_folds_batch_norm"
MESSAGE_MENTIONS = "not frozen"
MESSAGE_MENTIONS_KO = "동결되지 않은 ScriptModule"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def freeze_for_inference(model, example):
    return torch.jit.script(model.eval())
