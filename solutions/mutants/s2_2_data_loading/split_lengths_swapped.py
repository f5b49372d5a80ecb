"""Gives random_split its lengths in the wrong order, [n_val, n - n_val]: the first part, returned as the training
part, is the small one."""
# random_split returns its parts in the order of `lengths`,
# https://pytorch.org/docs/stable/data.html#torch.utils.data.random_split
CAUGHT_BY = "test_split_is_disjoint_complete_and_seeded"
MESSAGE_MENTIONS = "swapped"
MESSAGE_MENTIONS_KO = "뒤바뀌었습니다"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def split_train_val(dataset, val_fraction, seed):
    n_val = int(len(dataset) * val_fraction)
    return tuple(random_split(dataset, [n_val, len(dataset) - n_val], generator=torch.Generator().manual_seed(seed)))
