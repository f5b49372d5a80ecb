"""Warm-up factor t / warmup_steps: the first step trains with lr 0 and the warm-up ends one step late."""
CAUGHT_BY = "test_schedule_warms_up_then_follows_cosine"
MESSAGE_MENTIONS = "one step late"
MESSAGE_MENTIONS_KO = "워밍업이 한 단계 늦게 시작합니다"
from solutions.s5_1_resnet_cifar10 import *  # noqa: E402,F401,F403 - the rest of the reference
from solutions.s5_1_resnet_cifar10 import _device_of  # noqa: E402,F401


def warmup_cosine_scheduler(optimizer, total_steps, warmup_steps):
    def factor(step):
        if step < warmup_steps:
            return step / warmup_steps
        return 0.5 * (1.0 + math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps)))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
