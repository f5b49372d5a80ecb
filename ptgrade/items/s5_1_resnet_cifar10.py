"""5.1's data: a small seeded archive in the exact layout of CIFAR-10, and the class that reads it.

`write_cifar_archive` writes the archive in the layout of the real one (`cifar-10-batches-py/data_batch_1..5,
test_batch, batches.meta`, pickled dicts of uint8 rows of 3072 bytes and int labels), and `GeneratedCIFAR10` reads it
with torchvision's own CIFAR10 code. The grader (graders/test_s5_1_resnet_cifar10.py) and `ptgrade run 5.1 --smoke`
use them; nothing is downloaded. `DEFAULT_ROOT` is where a real run looks for (or downloads) the real CIFAR-10.
"""
from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
from torchvision.datasets import CIFAR10

LABEL_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
BATCHES = 5

# Each class: a colour and a stripe pattern (orientation, period), drawn with noise, brightness jitter and
# a random shift, so that a small ResNet learns it in a few hundred steps and augmentation still matters.
_PALETTE = np.array([[200, 60, 60], [60, 170, 60], [60, 80, 200], [200, 190, 60], [170, 60, 180],
                     [60, 180, 180], [230, 140, 40], [120, 120, 120], [140, 90, 50], [240, 220, 210]], dtype=float)
_PATTERNS = [(0, 4), (1, 4), (0, 8), (1, 8), (2, 6), (0, 6), (1, 6), (2, 8), (0, 12), (1, 12)]


def _draw(rng: np.random.Generator, label: int, brightness: float) -> np.ndarray:
    """One (32, 32, 3) uint8 image of class `label`."""
    orientation, period = _PATTERNS[label]
    rows, cols = np.mgrid[0:32, 0:32]
    shift = rng.integers(0, period)
    coordinate = (rows, cols, rows + cols)[orientation] + shift
    stripes = ((coordinate // (period // 2)) % 2) * 2.0 - 1.0  # +1 / -1 bands
    colour = _PALETTE[label] * rng.uniform(0.8, 1.2) + brightness
    image = colour[None, None, :] + 45.0 * stripes[..., None] + rng.normal(0.0, 30.0, (32, 32, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


def _split(rng: np.random.Generator, per_class: int, brightness: float) -> tuple[np.ndarray, list[int]]:
    labels = np.repeat(np.arange(10), per_class)
    rng.shuffle(labels)
    images = np.stack([_draw(rng, int(label), brightness) for label in labels])  # (N, 32, 32, 3)
    rows = images.transpose(0, 3, 1, 2).reshape(len(labels), 3072)  # CIFAR rows: 1024 R, 1024 G, 1024 B
    return np.ascontiguousarray(rows), [int(label) for label in labels]


def _dump(path: Path, content: dict) -> None:
    with open(path, "wb") as file:
        pickle.dump(content, file, protocol=2)


def write_cifar_archive(root: str | Path, *, seed: int = 0, train_per_class: int = 50,
                        test_per_class: int = 20) -> Path:
    """Write a CIFAR-10-format archive under `root` (returns root/cifar-10-batches-py).

    10 * train_per_class training images over the 5 data batches, 10 * test_per_class test images, seeded.
    The test images are a little brighter on average than the training ones, so statistics computed on the
    wrong split differ measurably from the training set's.
    """
    folder = Path(root) / GeneratedCIFAR10.base_folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rows, labels = _split(rng, train_per_class, brightness=0.0)
    size = math.ceil(len(labels) / BATCHES)
    for index in range(BATCHES):
        part = slice(index * size, (index + 1) * size)
        _dump(folder / f"data_batch_{index + 1}", {
            "batch_label": f"training batch {index + 1} of {BATCHES}", "labels": labels[part],
            "data": rows[part], "filenames": [f"generated_{index}_{i}.png" for i in range(len(labels[part]))]})
    rows, labels = _split(rng, test_per_class, brightness=12.0)
    _dump(folder / "test_batch", {"batch_label": "testing batch 1 of 1", "labels": labels, "data": rows,
                                  "filenames": [f"generated_test_{i}.png" for i in range(len(labels))]})
    _dump(folder / "batches.meta", {"label_names": LABEL_NAMES, "num_cases_per_batch": size, "num_vis": 3072})
    return folder


class GeneratedCIFAR10(CIFAR10):
    """torchvision's CIFAR10, reading an archive written by `write_cifar_archive`.

    The only difference: the parent class holds the MD5 sums of the real CIFAR-10 files; here they are None,
    which torchvision's `check_integrity` takes as "the file must exist". Everything else (file names, the
    pickle format, the HWC uint8 `.data`, PIL images into the transform) is torchvision's own code. It never
    downloads.
    """
    train_list = [[name, None] for name, _md5 in CIFAR10.train_list]
    test_list = [[name, None] for name, _md5 in CIFAR10.test_list]
    meta = {**CIFAR10.meta, "md5": None}

    def download(self) -> None:
        if not self._check_integrity():
            raise RuntimeError("GeneratedCIFAR10 never downloads: write the archive with write_cifar_archive.")


DEFAULT_ROOT = Path.home() / ".cache" / "ptgrade" / "cifar10"
