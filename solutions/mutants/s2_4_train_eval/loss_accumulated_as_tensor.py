"""Sums the loss tensors instead of loss.item(): the whole epoch's graph stays alive, and a tensor comes back."""
CAUGHT_BY = "test_train_one_epoch_returns_mean_loss_as_float"
MESSAGE_MENTIONS = "loss.item()"
MESSAGE_MENTIONS_KO = "loss.item()"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total = total + loss * len(y)
        count += len(y)
    return total / count
