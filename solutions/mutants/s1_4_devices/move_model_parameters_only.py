"""Re-registers every parameter on the device by hand and forgets the buffers (BatchNorm running statistics)."""
CAUGHT_BY = "test_move_model_moves_parameters_and_buffers"
MESSAGE_MENTIONS = "buffers behind"
MESSAGE_MENTIONS_KO = "버퍼는 옮겨지지 않고"
from torch import nn  # noqa: E402

from solutions.s1_4_devices import *  # noqa: E402,F401,F403 - the rest of the reference


def move_model(model, device):
    for module in model.modules():
        for name, parameter in list(module.named_parameters(recurse=False)):
            setattr(module, name, nn.Parameter(parameter.detach().to(device)))
    return model
