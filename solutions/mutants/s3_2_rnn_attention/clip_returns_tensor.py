"""Returns the tensor clip_grad_norm_ gives, not a Python float."""
CAUGHT_BY = "test_clipped_step_returns_the_norm_before_clipping"
MESSAGE_MENTIONS = "Python float"
MESSAGE_MENTIONS_KO = "Python float"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn as nn  # noqa: E402


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    return total_norm
