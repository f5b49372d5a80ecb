"""Clamps each gradient entry to [-max_norm, max_norm] (clip_grad_value_) instead of scaling by the norm."""
CAUGHT_BY = "test_clipped_step_clips_gradients_keeping_their_direction"
MESSAGE_MENTIONS = "clip_grad_value_"
MESSAGE_MENTIONS_KO = "clip_grad_value_"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    total_norm = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters()))
    nn.utils.clip_grad_value_(model.parameters(), max_norm)
    optimizer.step()
    return float(total_norm)
