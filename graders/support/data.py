"""Seeded data makers shared by graders."""
from __future__ import annotations

import torch


def random_shapes(generator: torch.Generator, count: int, min_dims: int = 1, max_dims: int = 4,
                  max_size: int = 5) -> list[tuple[int, ...]]:
    """`count` random shapes with sizes 2..max_size, drawn from `generator` (so a check is repeatable).
    Sizes start at 2: a size-1 axis makes many layout mistakes invisible."""
    shapes = []
    for _ in range(count):
        dims = int(torch.randint(min_dims, max_dims + 1, (1,), generator=generator))
        shapes.append(tuple(int(s) for s in torch.randint(2, max_size + 1, (dims,), generator=generator)))
    return shapes


def digits(seed: int = 0, validation_fraction: float = 0.25):
    """scikit-learn's handwritten digits (1797 8x8 images, shipped with the package: no download),
    as float32 features scaled to [0, 1] and int64 labels, split by a seeded permutation.

    Returns (x_train, y_train, x_val, y_val); images are flat (n, 64): `.view(-1, 1, 8, 8)` for CNNs.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.data, dtype=torch.float32) / 16.0
    y = torch.tensor(data.target, dtype=torch.int64)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    n_val = int(len(y) * validation_fraction)
    val, train = order[:n_val], order[n_val:]
    return x[train], y[train], x[val], y[val]
