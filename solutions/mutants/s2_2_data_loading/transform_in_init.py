"""Applies the transform once in __init__ to the whole (1797, 1, 8, 8) stack instead of per item in
__getitem__: a random augmentation is then frozen for every epoch."""
# The data tutorial applies transforms in __getitem__, per sample:
# https://pytorch.org/tutorials/beginner/data_loading_tutorial.html#transforms
CAUGHT_BY = "test_dataset_applies_the_transform"
MESSAGE_MENTIONS = "__getitem__"
MESSAGE_MENTIONS_KO = "__getitem__"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __init__(self, transform=None):
        super().__init__(None)
        if transform is not None:
            self.images = transform(self.images)
