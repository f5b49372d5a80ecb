"""Adds a dropout between the block's two convolutions: invisible in eval mode (and to the parameter count), a
different forward in training mode."""
CAUGHT_BY = "test_basic_block_adds_identity_shortcut"
MESSAGE_MENTIONS = "something acts only in training mode"
MESSAGE_MENTIONS_KO = "학습 모드에서만 작동하는 것"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                          nn.BatchNorm2d(out_channels))

    def forward(self, x):
        out = F.dropout(F.relu(self.bn1(self.conv1(x))), 0.2, self.training)
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))
