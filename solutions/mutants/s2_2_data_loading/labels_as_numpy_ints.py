"""Keeps the labels as load_digits().target, so an item's label is a numpy.int64, not the int the
docstring asks for (a tensor or numpy scalar breaks `label == 3` checks and JSON logs)."""
# sklearn and NumPy datasets hand back numpy scalars; the Dataset promises Python ints.
CAUGHT_BY = "test_dataset_items_match_sklearn_digits"
MESSAGE_MENTIONS = "int(target[i])"
MESSAGE_MENTIONS_KO = "int(target[i])"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


class DigitsDataset(DigitsDataset):  # noqa: F405
    def __init__(self, transform=None):
        super().__init__(transform)
        self.labels = load_digits().target  # noqa: F405
