"""Returns each digit as an (8, 8) image, without the channel axis: a Conv2d then sees a batch of
shape (N, 8, 8) and raises "Expected 4-dimensional input" (or takes N for channels)."""
# A classic of the PyTorch forums: "Expected 4-dimensional input for 4-dimensional weight",
# https://e-com-net.com/article/1743708265516122112.htm (MNIST flattened, then fed to a Conv2d)
CAUGHT_BY = "test_dataset_items_match_sklearn_digits"
MESSAGE_MENTIONS = "channel axis"
MESSAGE_MENTIONS_KO = "채널 축을 맨 앞에"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __init__(self, transform=None):
        super().__init__(transform)
        self.images = self.images.squeeze(1)
