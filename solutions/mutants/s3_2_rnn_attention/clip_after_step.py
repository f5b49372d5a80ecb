"""Clips the gradients after optimizer.step(): the step used the unclipped ones."""
CAUGHT_BY = "test_clipped_step_steps_with_the_clipped_gradients"
MESSAGE_MENTIONS = "after optimizer.step()"
MESSAGE_MENTIONS_KO = "optimizer.step() 다음에 클리핑"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch.nn as nn  # noqa: E402


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    return float(total_norm)
