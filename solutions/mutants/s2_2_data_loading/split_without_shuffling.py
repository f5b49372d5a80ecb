"""Splits by slicing, the first samples for training and the last for validation, without shuffling:
on data sorted by class the validation part holds only the last classes."""
# Splitting a sorted dataset without shuffling (all of one class in the validation part):
# https://kiwix.lema.org/stackoverflow.com_en_all_2023-11/questions/61215675/data-shuffling-for-image-classification
CAUGHT_BY = "test_split_is_disjoint_complete_and_seeded"
MESSAGE_MENTIONS = "contiguous block"
MESSAGE_MENTIONS_KO = "데이터셋의 연속된 구간"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference
from torch.utils.data import Subset  # noqa: E402


def split_train_val(dataset, val_fraction, seed):
    n_val = int(len(dataset) * val_fraction)
    n_train = len(dataset) - n_val
    return Subset(dataset, range(n_train)), Subset(dataset, range(n_train, len(dataset)))
