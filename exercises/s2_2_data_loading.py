"""2.2 Dataset and DataLoader — real data, transforms, a seeded split, batching, padding.

A map-style `Dataset` answers two questions: how many samples (`__len__`) and what is sample i
(`__getitem__`). A `DataLoader` draws indices (in order, or shuffled by a sampler), fetches the
samples and *collates* them into batches. Three things to get right:

- Reproducibility: shuffling draws from a random generator. Give the DataLoader its own
  `torch.Generator` seeded once; then its order depends on that seed only, not on whatever else
  used the global RNG before. Each epoch (each new iteration) is a new permutation.
- Transforms: `torchvision.transforms.v2` works on tensors; `v2.Compose` applies steps in order,
  and the order matters (normalising and then padding leaves a border of raw zeros).
- Variable-length data (sentences, time series) cannot be stacked: a `collate_fn` pads each batch
  to its longest item and returns the true lengths beside it.

The data are scikit-learn's handwritten digits (1797 grey 8x8 images, labels 0-9), which ship with
scikit-learn: `sklearn.datasets.load_digits()` reads them from disk, nothing is downloaded.

Replace each `raise NotImplementedError`, then run `ptgrade check 2.2`.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import torch
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision.io import decode_image
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


class CustomImageDataset(Dataset):
    """Images kept as files, their labels in a CSV file: the custom Dataset of PyTorch's "Learn the Basics".

    `annotations_file` is a CSV file with no header row; each line is `file_name,label`, the name relative to
    `img_dir` and the label an integer:
        cat_07.png,2
        cat_03.png,0
    Sample i is line i, whatever the names (do not list or sort the folder: it may hold other files).

    `__init__` reads the CSV only (names and labels) and keeps `img_dir`, `transform` and `target_transform`.
    `__len__` is the number of lines. `__getitem__(i)` opens the i-th image file then, with
    `torchvision.io.decode_image(path)` (the tutorial's `read_image` does the same): a uint8 tensor (channels,
    height, width) holding the file's pixel values, not scaled. It returns `(image, label)` with `label` a Python
    int; with a `transform`, the image is `transform(image)`; with a `target_transform`, the label is
    `target_transform(label)`. With the two lines above, `len(ds) == 2` and `ds[1]` is
    `(decode_image(os.path.join(img_dir, "cat_03.png")), 0)`.

    Why read in `__getitem__` and not in `__init__`: a real image folder does not fit in memory, and a DataLoader
    with `num_workers > 0` reads the files of the next batches in parallel while the model trains.

    Watch for: `pandas.read_csv(path)` takes the first line for a header and loses a sample (pass `header=None`,
    or use `csv.reader`); `transform` is for the image only, `target_transform` for the label only.
    """

    def __init__(self, annotations_file: str | Path, img_dir: str | Path, transform: Callable | None = None,
                 target_transform: Callable | None = None):
        raise NotImplementedError("CustomImageDataset")

    def __len__(self) -> int:
        raise NotImplementedError("CustomImageDataset.__len__")

    def __getitem__(self, index: int):
        raise NotImplementedError("CustomImageDataset.__getitem__")


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
