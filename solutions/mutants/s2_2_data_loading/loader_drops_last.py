"""Uses drop_last=True, so the samples of the last, smaller batch are never seen."""
CAUGHT_BY = "test_loader_visits_every_sample_once_per_epoch"
MESSAGE_MENTIONS = "drop_last"
MESSAGE_MENTIONS_KO = "drop_last"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def make_loader(dataset, batch_size, shuffle, seed, collate_fn=None):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=collate_fn, drop_last=True,
                      generator=torch.Generator().manual_seed(seed))
