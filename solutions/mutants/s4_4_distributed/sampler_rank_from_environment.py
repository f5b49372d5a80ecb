"""Reads the sampler's rank from the RANK environment variable (set by torchrun, not by mp.spawn): every rank is 0."""
CAUGHT_BY = "test_sampler_covers_every_sample_once_per_epoch"
MESSAGE_MENTIONS = "environment"
MESSAGE_MENTIONS_KO = "설정되지 않은 RANK 환경 변수"
import os  # noqa: E402

from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
from torch.utils.data import DistributedSampler  # noqa: E402


def epoch_indices(dataset_size, world_size, rank, epochs, seed=0):
    sampler = DistributedSampler(range(dataset_size), num_replicas=world_size, rank=int(os.environ.get("RANK", 0)),
                                 shuffle=True, seed=seed)
    orders = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        orders.append(list(sampler))
    return orders
