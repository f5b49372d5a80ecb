"""Builds the images with torch.from_numpy(data.images), which keeps NumPy's float64: every batch is then
double and a float32 model raises "expected scalar type Float but found Double"."""
# The most-asked dtype error when data comes from NumPy/sklearn:
# https://yuhi-sa.github.io/en/posts/20210215_pytorch_dtype/1
CAUGHT_BY = "test_dataset_items_match_sklearn_digits"
MESSAGE_MENTIONS = "float32"
MESSAGE_MENTIONS_KO = "float32"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __init__(self, transform=None):
        super().__init__(transform)
        self.images = torch.from_numpy(load_digits().images).unsqueeze(1) / 16.0  # noqa: F405
