"""Keeps the digits' raw 0..16 pixel values instead of scaling them to [0, 1]."""
CAUGHT_BY = "test_dataset_items_match_sklearn_digits"
MESSAGE_MENTIONS = "divided by 16"
MESSAGE_MENTIONS_KO = "16으로 나누고"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __init__(self, transform=None):
        super().__init__(transform)
        self.images = self.images * 16.0
