"""2.2 in another style: the digits read as flat (X, y) arrays and reshaped with torch.from_numpy,
labels kept as an int64 tensor and returned with .item(); the transform list built in one
expression; the split cut from a torch.randperm into two Subsets; the loader driven by an explicit
RandomSampler/SequentialSampler wrapped in a BatchSampler; pad_collate filling a new_full buffer
row by row instead of calling pad_sequence; the image-folder dataset splitting the CSV's lines by hand and
decoding each file with PIL and NumPy, then moving the channels first."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from sklearn.datasets import load_digits
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler, Subset
from torchvision.transforms import v2


class DigitsDataset(Dataset):
    def __init__(self, transform=None):
        pixels, target = load_digits(return_X_y=True)  # (1797, 64) float64 in 0..16, (1797,)
        self.images = torch.from_numpy(pixels).to(torch.float32).div_(16.0).reshape(-1, 1, 8, 8)
        self.targets = torch.from_numpy(target).long()
        self.transform = transform

    def __len__(self):
        return self.images.shape[0]

    def __getitem__(self, index):
        image = self.images[index]
        return (image if self.transform is None else self.transform(image)), self.targets[index].item()


class CustomImageDataset(Dataset):
    def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
        lines = Path(annotations_file).read_text().splitlines()
        self.rows = [line.rsplit(",", 1) for line in lines if line.strip()]
        self.root = Path(img_dir)
        self.transform, self.target_transform = transform, target_transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        name, label = self.rows[index]
        with Image.open(self.root / name.strip()) as file:
            pixels = np.array(file)  # (height, width, channels) uint8, or (height, width) for a grey file
        image = torch.from_numpy(pixels.reshape(*pixels.shape[:2], -1)).permute(2, 0, 1).contiguous()
        target = int(label)
        return (self.transform(image) if self.transform else image,
                self.target_transform(target) if self.target_transform else target)


def make_transform(mean, std, augment=False):
    return v2.Compose([
        v2.Pad(padding=[2, 2, 2, 2], fill=0, padding_mode="constant"),
        *([v2.RandomAffine(degrees=(-10.0, 10.0), translate=(0.1, 0.1))] if augment else []),
        v2.Normalize(mean=(mean,), std=(std,)),
    ])


def split_train_val(dataset, val_fraction, seed):
    n_val = int(len(dataset) * val_fraction)
    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed)).tolist()
    return Subset(dataset, order[n_val:]), Subset(dataset, order[:n_val])


def make_loader(dataset, batch_size, shuffle, seed, collate_fn=None):
    generator = torch.Generator().manual_seed(seed)
    sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
    # the loader draws its base seed for workers from `generator` too, never from the global RNG
    return DataLoader(dataset, batch_sampler=BatchSampler(sampler, batch_size, drop_last=False),
                      collate_fn=collate_fn, generator=generator)


def pad_collate(batch, padding_value=0):
    sequences, labels = zip(*batch)
    lengths = torch.tensor([s.shape[0] for s in sequences], dtype=torch.int64)
    padded = sequences[0].new_full((len(sequences), int(lengths.max())), padding_value)
    for row, sequence in enumerate(sequences):
        padded[row, :sequence.shape[0]] = sequence
    return padded, lengths, torch.tensor(labels, dtype=torch.int64)
