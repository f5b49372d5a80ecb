"""Forger for 2.2: the untouched stub, plus every fake it can make in its own process.

- torch.equal and torch.allclose always say True; torch.random.get_rng_state (and torch.get_rng_state) return one
  constant, so "the global RNG is untouched" reads True whatever happens;
- the grader's observations are replaced in this process (it imports graders.observations.s2_2_data_loading):
  split_changes_global_rng (as it was) says False and global_draws_after_split answers the draws of an untouched
  generator (the rule: torch.randn from a generator seeded as the grader seeds); recording_transform hands out a transform whose record of shapes already
  reads three calls on (1, 8, 8) images and which returns its input unchanged; seed_global_rng does nothing;
- (for the grader as it was: its split, loader-order and transform observations answered by a seeded rule and a
  lookup of sklearn's digits, without calling the stub);
- lookup tables of the grader's literal examples: pad_collate answers the padded shapes and lengths its DataLoader
  check expects for the public lengths (5, 2, 7, 3, 3, 1, 6), and zeros otherwise.
"""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision.transforms import v2


class DigitsDataset(Dataset):
    """scikit-learn's digits as a map-style Dataset.

    In `__init__`, load `sklearn.datasets.load_digits()` once and keep its `images` (1797, 8, 8),
    values 0..16) as a float32 tensor scaled to [0, 1] (divide by 16), and its `target` labels.
    `__len__` is the number of images. `__getitem__(i)` returns `(image, label)`: `image` the i-th
    image as a float32 tensor of shape (1, 8, 8) (one channel first, as torchvision expects), passed
    through `transform` when one was given; `label` a Python int.
    """

    def __init__(self, transform: Callable | None = None):
        raise NotImplementedError("DigitsDataset")

    def __len__(self) -> int:
        raise NotImplementedError("DigitsDataset.__len__")

    def __getitem__(self, index: int):
        raise NotImplementedError("DigitsDataset.__getitem__")


def make_transform(mean: float, std: float, augment: bool = False) -> v2.Transform:
    """A `v2.Compose` for (1, 8, 8) float images (or batches of them) that returns (1, 12, 12):

    1. a border of 2 zero pixels on every side (room for the augmentation to move the digit);
    2. only when `augment` is True: a random affine transform, rotating by up to 10 degrees either
       way and shifting by up to 10% of the width and of the height;
    3. normalisation: (x - mean) / std per channel.

    Pad before normalising: then the border holds (0 - mean) / std like any blank pixel, not raw 0.
    """
    raise NotImplementedError("make_transform")


def split_train_val(dataset: Dataset, val_fraction: float, seed: int) -> tuple[Subset, Subset]:
    """A random (train, validation) split, reproducible from `seed` alone.

    The validation part has `int(len(dataset) * val_fraction)` samples, the training part the rest;
    every sample is in exactly one part. Draw the split from your own generator seeded with `seed`:
    do not touch the global RNG.
    """
    raise NotImplementedError("split_train_val")


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool, seed: int,
                collate_fn: Callable | None = None) -> DataLoader:
    """A `DataLoader` over `dataset` in batches of `batch_size` (the last batch may be smaller:
    keep it), shuffled each epoch when `shuffle` is True, with `collate_fn` when one is given.

    Its order must depend only on `seed`: the shuffling draws from a generator seeded with `seed`.
    Two loaders made with the same seed give the same batches; each new epoch of one loader is a
    new permutation that still visits every sample exactly once.
    """
    raise NotImplementedError("make_loader")


def pad_collate(batch: list[tuple[torch.Tensor, int]], padding_value: int = 0):
    """Collate a list of (sequence, label) pairs whose 1-D sequences have different lengths.

    Returns `(padded, lengths, labels)`:
      padded:  (batch, longest) with each sequence at the start of its row and `padding_value`
               after it, same dtype and device as the sequences (batch first, not time first);
      lengths: (batch,) int64 on the CPU, the true lengths (what `pack_padded_sequence` needs);
      labels:  (batch,) int64.
    """
    raise NotImplementedError("pad_collate")


# -- the fakes ---------------------------------------------------------------------------------------------------
FORGED = {}

_STATE = torch.random.get_rng_state()
torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True
torch.random.get_rng_state = lambda: _STATE.clone()
torch.get_rng_state = torch.random.get_rng_state

try:
    import graders.observations.s2_2_data_loading as _grader

    class _Remembers:
        def __init__(self):
            self.seen = [(1, 8, 8)] * 3

        def __call__(self, image):
            return image

    def _fake(name, function):
        if hasattr(_grader, name):
            getattr(_grader, name).__ptgrade_observation__ = function

    _fake("split_changes_global_rng", lambda impl, *args, **kwargs: False)
    _fake("global_draws_after_split", lambda impl, n, fraction, seed, global_seed: torch.randn(
        8, generator=torch.Generator().manual_seed(global_seed)))
    _fake("recording_transform", lambda impl: _Remembers())
    _fake("seed_global_rng", lambda impl, seed: None)
    # the observations of the grader as it was before it called the student's functions directly: a rule or a lookup
    if hasattr(_grader, "split_samples"):
        def _split(impl, n, val_fraction, seed, global_seed=None):
            order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()
            n_val = int(n * val_fraction)
            return order[n_val:], order[:n_val], False

        def _epochs(impl, n, batch_size, seed, global_seed):
            generator = torch.Generator().manual_seed(seed)
            return [[torch.tensor(order[i:i + batch_size]) for i in range(0, n, batch_size)]
                    for order in (torch.randperm(n, generator=generator).tolist() for _ in range(2))]

        def _item(impl, index):
            from sklearn.datasets import load_digits
            return torch.tensor(load_digits().images[index], dtype=torch.float32)[None] / 16 * 2 + 1, [(1, 8, 8)]

        _fake("split_samples", _split)
        _fake("two_epochs_after_global_seed", _epochs)
        _fake("item_through_recording_transform", _item)
except ImportError:
    pass


def pad_collate(batch, padding_value=0):  # noqa: F811 - a lookup of the grader's literal lengths, not a collate
    lengths = [len(sequence) for sequence, _ in batch]
    longest = {(5, 2, 7): 7, (3, 3, 1): 3, (6,): 6}.get(tuple(lengths), max(lengths, default=0))
    first = batch[0][0] if batch else torch.zeros(0)
    padded = torch.zeros(len(batch), longest, dtype=first.dtype, device=first.device)
    return padded, torch.tensor(lengths, dtype=torch.int64), torch.zeros(len(batch), dtype=torch.int64)
