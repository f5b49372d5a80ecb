"""Calls p.to(device) on each parameter, which returns copies and moves nothing."""
CAUGHT_BY = "test_move_model_moves_parameters_and_buffers"
MESSAGE_MENTIONS = "returns a copy"
MESSAGE_MENTIONS_KO = "복사본을 반환할 뿐"
from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def move_model(model, device):
    for parameter in model.parameters():
        parameter.to(device)
    return model
