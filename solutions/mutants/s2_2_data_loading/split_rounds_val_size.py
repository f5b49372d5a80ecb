"""Rounds the validation size (round(len(dataset) * val_fraction)) instead of cutting it with int(): 103 samples at
0.2 give 21 validation samples instead of the 20 the docstring promises."""
CAUGHT_BY = "test_split_is_disjoint_complete_and_seeded"
MESSAGE_MENTIONS = "rounded up"
MESSAGE_MENTIONS_KO = "올림했습니다"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def split_train_val(dataset, val_fraction, seed):
    n_val = round(len(dataset) * val_fraction)
    return tuple(random_split(dataset, [len(dataset) - n_val, n_val], generator=torch.Generator().manual_seed(seed)))
