"""Clears the gradients after optimizer.step() instead of first: the first step of the epoch trains on whatever an
earlier backward left in .grad."""
CAUGHT_BY = "test_train_one_epoch_matches_reference_loop"
MESSAGE_MENTIONS = "runs after optimizer.step() instead of first"
MESSAGE_MENTIONS_KO = "optimizer.step() 뒤에 실행되어"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
