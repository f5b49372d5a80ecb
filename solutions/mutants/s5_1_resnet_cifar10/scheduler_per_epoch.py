"""Steps the scheduler once per epoch although its schedule counts optimizer steps."""
CAUGHT_BY = "test_train_one_epoch_steps_scheduler_per_batch"
MESSAGE_MENTIONS = "stepped once per epoch"
MESSAGE_MENTIONS_KO = "스케줄러를 에폭마다 한 번 진행"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def train_one_epoch(model, loader, optimizer, scheduler):
    model.train()
    device = _device_of(model)
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    scheduler.step()
    return total / count
