"""Returns the gradients' norm measured after clipping."""
CAUGHT_BY = "test_clipped_step_returns_the_norm_before_clipping"
MESSAGE_MENTIONS = "after clipping"
MESSAGE_MENTIONS_KO = "클리핑한 뒤의 노름"
from solutions.s3_2_rnn_attention import *  # noqa: E402,F401,F403 - the rest of the reference
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def clipped_train_step(model, optimizer, loss_fn, inputs, targets, max_norm):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    total_norm = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters()))
    optimizer.step()
    return float(total_norm)
