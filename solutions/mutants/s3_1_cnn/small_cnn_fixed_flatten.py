"""Flattens the feature maps into a Linear sized for 16x16 inputs only, with no adaptive pooling."""
CAUGHT_BY = "test_small_cnn_works_for_any_image_size"
MESSAGE_MENTIONS = "AdaptiveAvgPool2d"
MESSAGE_MENTIONS_KO = "AdaptiveAvgPool2d"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference
from torch import nn  # noqa: E402


class SmallCNN(nn.Module):
    def __init__(self, in_channels=1, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(32 * 4 * 4, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
