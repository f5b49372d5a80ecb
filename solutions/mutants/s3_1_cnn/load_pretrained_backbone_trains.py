"""Loads the weights and replaces the head but never freezes the backbone: every layer trains."""
CAUGHT_BY = "test_load_pretrained_freezes_the_backbone"
MESSAGE_MENTIONS = "frozen"
MESSAGE_MENTIONS_KO = "백본은 동결되어 있어야"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torchvision  # noqa: E402
from torch import nn  # noqa: E402


def load_pretrained(path, num_classes):
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = torchvision.models.resnet18(weights=None)
    model.load_state_dict({key.removeprefix("module."): value for key, value in state.items()})
    model.fc = nn.Linear(512, num_classes)
    return model.eval()
