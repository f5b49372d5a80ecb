"""Writes __len__ as len(self.labels) - 1 (thinking of the last index), so the DataLoader never
asks for the last digit."""
# __len__ is the number of samples, not the last index: the map-style Dataset contract,
# https://pytorch.org/tutorials/beginner/basics/data_tutorial.html#creating-a-custom-dataset-for-your-files
CAUGHT_BY = "test_dataset_items_match_sklearn_digits"
MESSAGE_MENTIONS = "__len__"
MESSAGE_MENTIONS_KO = "__len__"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __len__(self):
        return len(self.labels) - 1
