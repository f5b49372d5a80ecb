"""Reference solution for 2.2 (the task is in exercises/s2_2_data_loading.py)."""
from __future__ import annotations

import csv
import os

import torch
from sklearn.datasets import load_digits
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset, random_split
from torchvision.io import decode_image
from torchvision.transforms import v2


class DigitsDataset(Dataset):
    def __init__(self, transform=None):
        data = load_digits()
        self.images = torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0
        self.labels = [int(label) for label in data.target]
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        image = self.images[index]
        if self.transform is not None:
            image = self.transform(image)
        return image, self.labels[index]


class CustomImageDataset(Dataset):
    def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
        with open(annotations_file, newline="") as handle:
            self.img_labels = [(name, int(label)) for name, label in csv.reader(handle)]
        self.img_dir = img_dir
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.img_labels)

    def __getitem__(self, index):
        name, label = self.img_labels[index]
        image = decode_image(os.path.join(self.img_dir, name))
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label


def make_transform(mean, std, augment=False):
    steps = [v2.Pad(2)]
    if augment:
        steps.append(v2.RandomAffine(degrees=10, translate=(0.1, 0.1)))
    steps.append(v2.Normalize([mean], [std]))
    return v2.Compose(steps)


def split_train_val(dataset, val_fraction, seed):
    n_val = int(len(dataset) * val_fraction)
    train, val = random_split(dataset, [len(dataset) - n_val, n_val], generator=torch.Generator().manual_seed(seed))
    return train, val


def make_loader(dataset, batch_size, shuffle, seed, collate_fn=None):
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=collate_fn,
                      generator=torch.Generator().manual_seed(seed))


def pad_collate(batch, padding_value=0):
    sequences = [sequence for sequence, _ in batch]
    padded = pad_sequence(sequences, batch_first=True, padding_value=padding_value)
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    labels = torch.tensor([int(label) for _, label in batch], dtype=torch.int64)
    return padded, lengths, labels
