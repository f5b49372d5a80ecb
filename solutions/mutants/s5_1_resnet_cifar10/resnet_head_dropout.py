"""Adds a dropout before the final Linear: invisible in eval mode (and to the parameter count), a different forward
in training mode."""
CAUGHT_BY = "test_resnet_shapes_and_parameter_count"
MESSAGE_MENTIONS = "something acts only in training mode"
MESSAGE_MENTIONS_KO = "학습 모드에서만 작동하는 것"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


class ResNet(ResNet):
    def forward(self, x):
        x = self.layers(self.stem(x))
        return self.fc(F.dropout(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1), 0.3, self.training))
