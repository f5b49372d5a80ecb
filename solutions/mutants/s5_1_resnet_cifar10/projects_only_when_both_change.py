"""Projects the shortcut only when the stride AND the width change (and for or): a block that only widens crashes."""
CAUGHT_BY = "test_downsampling_block_projects_shortcut"
MESSAGE_MENTIONS = "stride != 1 or in_channels != out_channels"
MESSAGE_MENTIONS_KO = "stride != 1이거나 in_channels != out_channels이면"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference


class BasicBlock(BasicBlock):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__(in_channels, out_channels, stride)
        if stride == 1 or in_channels == out_channels:
            self.shortcut = nn.Identity()
