"""Iterates the sampler through a DataLoader, as a training loop does: each epoch a list of 1-element tensors, not
of ints."""
CAUGHT_BY = "test_sampler_covers_every_sample_once_per_epoch"
MESSAGE_MENTIONS = "a DataLoader batches the indices into tensors"
MESSAGE_MENTIONS_KO = "DataLoader는 인덱스를 텐서 배치로 묶습니다"
from solutions.s4_4_distributed import *  # noqa: E402,F401,F403 - the rest of the reference
from torch.utils.data import DataLoader, DistributedSampler  # noqa: E402


def epoch_indices(dataset_size, world_size, rank, epochs, seed=0):
    sampler = DistributedSampler(range(dataset_size), num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    orders = []
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        orders.append(list(DataLoader(range(dataset_size), sampler=sampler)))
    return orders
