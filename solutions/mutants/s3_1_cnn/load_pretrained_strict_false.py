"""Loads the DDP checkpoint with strict=False instead of removing its 'module.' prefix: no key matches, nothing is
loaded, and the backbone keeps its random initialisation without a word."""
CAUGHT_BY = "test_load_pretrained_loads_the_saved_weights"
MESSAGE_MENTIONS = "strict=False"
MESSAGE_MENTIONS_KO = "strict=False"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torchvision  # noqa: E402
from torch import nn  # noqa: E402


def load_pretrained(path, num_classes):
    model = torchvision.models.resnet18(weights=None)
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=False)
    model.requires_grad_(False)
    model.fc = nn.Linear(512, num_classes)
    return model.eval()
