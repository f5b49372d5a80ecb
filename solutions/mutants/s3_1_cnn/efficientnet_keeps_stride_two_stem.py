"""Changes only the classifier of EfficientNet-B0, leaving the stride-2 stem."""
CAUGHT_BY = "test_efficientnet_b0_adapted_to_small_images"
MESSAGE_MENTIONS = "stride 1"
MESSAGE_MENTIONS_KO = "스템 합성곱의 stride는 1이어야"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
import torchvision  # noqa: E402


def efficientnet_b0_for_small_images(num_classes=10):
    return torchvision.models.efficientnet_b0(weights=None, num_classes=num_classes)
