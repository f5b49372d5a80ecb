"""Gives the adapted EfficientNet-B0 a 10-class head whatever num_classes says (CIFAR-10's, the default)."""
CAUGHT_BY = "test_efficientnet_b0_adapted_to_small_images"
MESSAGE_MENTIONS = "10 outputs whatever num_classes says"
MESSAGE_MENTIONS_KO = "num_classes와 상관없이 10개입니다"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torchvision  # noqa: E402
from torch import nn  # noqa: E402


def efficientnet_b0_for_small_images(num_classes=10):
    model = torchvision.models.efficientnet_b0(weights=None)
    model.features[0][0] = nn.Conv2d(3, 32, kernel_size=3, stride=1, padding=1, bias=False)
    model.classifier[-1] = nn.Linear(1280, 10)
    return model
