"""Saves the compiled module's own state_dict, whose keys carry the `_orig_mod.` prefix."""
CAUGHT_BY = "test_eager_state_dict_loads_into_a_plain_model"
MESSAGE_MENTIONS = "_orig_mod"
MESSAGE_MENTIONS_KO = "_orig_mod"
from solutions.s4_1_compile import *  # noqa: E402,F401,F403 - the rest of the reference


def eager_state_dict(model):
    return model.state_dict()
