"""Builds Adam with the default learning rate written into the code, whatever `lr` is passed."""
CAUGHT_BY = "test_train_char_lm_lowers_perplexity"
MESSAGE_MENTIONS = "not their default values"
MESSAGE_MENTIONS_KO = "기본값이 아니라"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def train_char_lm(model, ids, steps=60, seq_len=32, batch_size=16, lr=1e-2, max_norm=1.0, seed=0):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

    def loss_fn(logits, targets):
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))

    model.train()
    for _ in range(steps):
        starts = torch.randint(0, len(ids) - seq_len, (batch_size,), generator=generator).tolist()
        inputs = torch.stack([ids[s:s + seq_len] for s in starts])
        targets = torch.stack([ids[s + 1:s + seq_len + 1] for s in starts])
        clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm)
    return model
