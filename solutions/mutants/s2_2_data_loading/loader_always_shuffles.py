"""Hard-codes shuffle=True in make_loader, so the validation loader is shuffled too and its order
(and any per-sample prediction saved from it) no longer matches the dataset."""
# Why shuffle the training loader but not the validation one:
# https://ai.stackexchange.com/questions/24391/should-we-also-shuffle-the-test-dataset-when-training-with-sgd
CAUGHT_BY = "test_loader_visits_every_sample_once_per_epoch"
MESSAGE_MENTIONS = "shuffle=False"
MESSAGE_MENTIONS_KO = "shuffle=False"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference


def make_loader(dataset, batch_size, shuffle, seed, collate_fn=None):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, collate_fn=collate_fn,  # noqa: F405
                      generator=torch.Generator().manual_seed(seed))  # noqa: F405
