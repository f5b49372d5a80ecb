"""Re-seeds a sampler each time it is iterated, so every epoch repeats the same permutation."""
CAUGHT_BY = "test_loader_visits_every_sample_once_per_epoch"
MESSAGE_MENTIONS = "re-seed"
MESSAGE_MENTIONS_KO = "에폭마다 시드를 다시 주지 마세요"
from solutions.s2_2_data_loading import *  # noqa: E402,F401,F403 - the rest of the reference
from torch.utils.data import Sampler  # noqa: E402


class _SameEveryEpoch(Sampler):
    def __init__(self, n, seed):
        self.n, self.seed = n, seed

    def __len__(self):
        return self.n

    def __iter__(self):
        return iter(torch.randperm(self.n, generator=torch.Generator().manual_seed(self.seed)).tolist())


def make_loader(dataset, batch_size, shuffle, seed, collate_fn=None):
    sampler = _SameEveryEpoch(len(dataset), seed) if shuffle else None
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, collate_fn=collate_fn)
