"""Loads the weights and freezes the backbone but keeps the 1000-class ImageNet head instead of a new num_classes one."""
CAUGHT_BY = "test_load_pretrained_loads_the_saved_weights"
MESSAGE_MENTIONS = "num_classes"
MESSAGE_MENTIONS_KO = "num_classes"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torchvision  # noqa: E402


def load_pretrained(path, num_classes):
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = torchvision.models.resnet18(weights=None)
    model.load_state_dict({key.removeprefix("module."): value for key, value in state.items()})
    for name, parameter in model.named_parameters():
        parameter.requires_grad_(name.startswith("fc."))
    return model.eval()
