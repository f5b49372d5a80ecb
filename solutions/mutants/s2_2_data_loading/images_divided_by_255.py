"""Scales the digits by 1/255, the habit of 8-bit images, instead of 1/16: sklearn's digits hold 0..16, so every
pixel ends up below 0.07 instead of in [0, 1]."""
# The digits' pixel range is 0..16 (load_digits' description), not 0..255 as for MNIST or PNG files.
CAUGHT_BY = "test_dataset_items_match_sklearn_digits"
MESSAGE_MENTIONS = "divided by 255"
MESSAGE_MENTIONS_KO = "255로 나눈"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __init__(self, transform=None):
        super().__init__(transform)
        self.images = self.images * 16.0 / 255.0
