"""Calls torch.manual_seed(seed) when building the loader: the order then depends on whatever used the global RNG before iterating."""
CAUGHT_BY = "test_loader_order_depends_only_on_seed"
MESSAGE_MENTIONS = "generator="
MESSAGE_MENTIONS_KO = "generator="
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def make_loader(dataset, batch_size, shuffle, seed, collate_fn=None):
    torch.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=collate_fn)
