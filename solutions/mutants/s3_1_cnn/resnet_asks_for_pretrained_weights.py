"""Builds ResNet-18 with weights=ResNet18_Weights.DEFAULT, which downloads ImageNet weights."""
CAUGHT_BY = "test_resnet18_adapted_to_small_images"
MESSAGE_MENTIONS = "weights=None"
MESSAGE_MENTIONS_KO = "weights=None"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torchvision  # noqa: E402
from torch import nn  # noqa: E402


def resnet18_for_small_images(num_classes=10):
    model = torchvision.models.resnet18(weights=torchvision.models.ResNet18_Weights.DEFAULT)
    model.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = nn.Identity()
    model.fc = nn.Linear(512, num_classes)
    return model
