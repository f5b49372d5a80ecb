"""Iterates the DistributedSampler every epoch without calling set_epoch: every epoch repeats one order."""
CAUGHT_BY = "test_sampler_reshuffles_each_epoch"
MESSAGE_MENTIONS = "set_epoch"
MESSAGE_MENTIONS_KO = "set_epoch"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
from torch.utils.data import DistributedSampler  # noqa: E402


def epoch_indices(dataset_size, world_size, rank, epochs, seed=0):
    sampler = DistributedSampler(range(dataset_size), num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    return [list(sampler) for _ in range(epochs)]
