"""Returns the mean of the batch losses instead of the mean per sample: equal when every batch has the same size, wrong
when the last batch is smaller."""
CAUGHT_BY = "test_train_one_epoch_steps_scheduler_per_batch"
MESSAGE_MENTIONS = "the mean of the batch means"
MESSAGE_MENTIONS_KO = "배치 평균들의 평균입니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, optimizer, scheduler):
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
        total += loss.item()
        count += 1
    return total / count
