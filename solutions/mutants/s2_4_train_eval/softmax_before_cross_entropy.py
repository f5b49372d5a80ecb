"""Applies softmax to the logits before nn.CrossEntropyLoss, which applies log_softmax itself."""
CAUGHT_BY = "test_train_one_epoch_matches_reference_loop"
MESSAGE_MENTIONS = "raw logits"
MESSAGE_MENTIONS_KO = "소프트맥스를 거치지 않은 로짓"
from solutions.s2_4_train_eval import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s2_4_train_eval import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, loss_fn, optimizer):
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_fn(torch.softmax(model(x), dim=1), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
