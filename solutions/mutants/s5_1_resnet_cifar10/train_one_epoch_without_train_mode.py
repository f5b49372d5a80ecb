"""Trains without model.train(): after the previous epoch's evaluate the model is still in eval mode, so BatchNorm
normalises with its running statistics and never updates them."""
CAUGHT_BY = "test_train_one_epoch_steps_scheduler_per_batch"
MESSAGE_MENTIONS = "model.train() was not called"
MESSAGE_MENTIONS_KO = "model.train()을 호출하지 않아서"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, optimizer, scheduler):
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
