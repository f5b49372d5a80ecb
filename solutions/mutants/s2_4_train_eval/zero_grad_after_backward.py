"""Calls optimizer.zero_grad() after loss.backward(), wiping the gradients before step() uses them."""
CAUGHT_BY = "test_train_one_epoch_matches_reference_loop"
MESSAGE_MENTIONS = "between loss.backward() and optimizer.step()"
MESSAGE_MENTIONS_KO = "loss.backward()와 optimizer.step() 사이"
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
        optimizer.zero_grad()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
