"""Clips the gradients before loss.backward(), when there are none yet."""
CAUGHT_BY = "test_clipped_step_returns_the_norm_before_clipping"
MESSAGE_MENTIONS = "before loss.backward()"
MESSAGE_MENTIONS_KO = "loss.backward()보다 먼저 클리핑"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn as nn  # noqa: E402


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    optimizer.zero_grad()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return float(total_norm)
