"""Replaces only the head, keeping the 7x7 stride-2 stem and max-pool that shrink 32x32 images to 1x1."""
CAUGHT_BY = "test_resnet18_adapted_to_small_images"
MESSAGE_MENTIONS = "stride 1"
MESSAGE_MENTIONS_KO = "스템에서 다운샘플링하면 안 됩니다"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torchvision  # noqa: E402
from torch import nn  # noqa: E402


def resnet18_for_small_images(num_classes=10):
    model = torchvision.models.resnet18(weights=None)
    model.fc = nn.Linear(512, num_classes)
    return model
