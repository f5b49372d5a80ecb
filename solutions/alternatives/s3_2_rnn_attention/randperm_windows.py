"""The reference, with train_char_lm written another correct way: the window starts are the first `batch_size` of a
seeded permutation (not torch.randint), gathered with one index tensor, and the loss flattened with flatten(). Any
draw from the generator it makes is what the docstring asks, so this must earn full marks too."""
import torch
import torch.nn.functional as F

from solutions.s3_2_rnn_attention import *  # noqa: F401,F403 - the rest of the reference
from solutions.s3_2_rnn_attention import clipped_train_step


def train_char_lm(model, ids, steps=60, seq_len=32, batch_size=16, lr=1e-2, max_norm=1.0, seed=0):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        starts = torch.randperm(len(ids) - seq_len, generator=generator)[:batch_size]
        window = starts[:, None] + torch.arange(seq_len)
        clipped_train_step(model, optimizer, lambda logits, targets: F.cross_entropy(logits.flatten(0, 1),
                                                                                      targets.flatten()),
                           ids[window], ids[window + 1], max_norm)
    return model
