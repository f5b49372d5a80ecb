"""Freezes a module scripted in training mode: torch.jit.freeze refuses it (freezing is for eval mode)."""
CAUGHT_BY = "test_frozen_module_matches_eval_mode_outputs"
MESSAGE_MENTIONS = "eval()"
MESSAGE_MENTIONS_KO = "eval()"
from solutions.s4_3_export import *  # noqa: E402,F401,F403 - the rest of the reference


def freeze_for_inference(model, example):
    return torch.jit.freeze(torch.jit.script(model))
