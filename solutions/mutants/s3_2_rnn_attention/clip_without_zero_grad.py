"""Never clears the old gradients: the new ones add to them."""
CAUGHT_BY = "test_clipped_step_returns_the_norm_before_clipping"
MESSAGE_MENTIONS = "zero_grad"
MESSAGE_MENTIONS_KO = "zero_grad"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn as nn  # noqa: E402


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    return float(total_norm)
