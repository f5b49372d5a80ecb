"""Clears the gradients after optimizer.step() instead of before the backward: the gradients a model comes with (the
last backward before this epoch) are added to the first batch's."""
CAUGHT_BY = "test_train_one_epoch_steps_scheduler_per_batch"
MESSAGE_MENTIONS = "zero_grad ran after optimizer.step()"
MESSAGE_MENTIONS_KO = "optimizer.step() 뒤에 호출했습니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, optimizer, scheduler):
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        scheduler.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
