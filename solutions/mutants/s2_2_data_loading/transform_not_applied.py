"""Keeps `transform` in __init__ but never calls it in __getitem__: the images come back unchanged."""
# The tutorial's custom Dataset: `if self.transform: image = self.transform(image)` in __getitem__,
# https://pytorch.org/tutorials/beginner/basics/data_tutorial.html#creating-a-custom-dataset-for-your-files
CAUGHT_BY = "test_dataset_applies_the_transform"
MESSAGE_MENTIONS = "was not applied"
MESSAGE_MENTIONS_KO = "적용되지 않았습니다"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __getitem__(self, index):
        return self.images[index], self.labels[index]
