"""Calls random_split without a generator: the split comes from the global RNG, not from the seed."""
CAUGHT_BY = "test_split_is_disjoint_complete_and_seeded"
MESSAGE_MENTIONS = "generator="
MESSAGE_MENTIONS_KO = "generator="
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def split_train_val(dataset, val_fraction, seed):
    n_val = int(len(dataset) * val_fraction)
    return tuple(random_split(dataset, [len(dataset) - n_val, n_val]))
