"""Never calls model.train(), so after evaluate() the next epoch trains with dropout off."""
CAUGHT_BY = "test_train_one_epoch_sets_train_mode"
MESSAGE_MENTIONS = "model.train()"
MESSAGE_MENTIONS_KO = "model.train()"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, loss_fn, optimizer):
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
