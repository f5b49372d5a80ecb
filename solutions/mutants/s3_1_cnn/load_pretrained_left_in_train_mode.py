"""Loads, replaces the head and freezes the backbone, but returns the model in train mode: BatchNorm normalises with
batch statistics instead of the loaded running ones (requires_grad_(False) does not change the mode)."""
CAUGHT_BY = "test_load_pretrained_freezes_the_backbone"
MESSAGE_MENTIONS = "eval mode"
MESSAGE_MENTIONS_KO = "평가 모드로 반환"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torchvision  # noqa: E402
from torch import nn  # noqa: E402


def load_pretrained(path, num_classes):
    state = torch.load(path, map_location="cpu", weights_only=True)
    model = torchvision.models.resnet18(weights=None)
    model.load_state_dict({key.removeprefix("module."): value for key, value in state.items()})
    model.requires_grad_(False)
    model.fc = nn.Linear(512, num_classes)
    return model
