"""Gives every block stride 1: the stages never halve the feature maps (same parameters, 4x-16x the compute)."""
CAUGHT_BY = "test_resnet_shapes_and_parameter_count"
MESSAGE_MENTIONS = "output shapes"
MESSAGE_MENTIONS_KO = "BasicBlock들의 출력 shape"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


class ResNet(nn.Module):
    def __init__(self, num_blocks=(3, 3, 3), widths=(16, 32, 64), num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]),
                                  nn.ReLU())
        layers, channels = [], widths[0]
        for blocks, width in zip(num_blocks, widths):
            for _index in range(blocks):
                layers.append(BasicBlock(channels, width, 1))
                channels = width
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = self.layers(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))
