"""Warms up with (t + 1) / warmup_steps: the first batch already trains at base_lr / warmup_steps and
the warm-up ends one step early."""
CAUGHT_BY = "test_warmup_cosine_schedule_follows_the_formula"
MESSAGE_MENTIONS = "one step ahead"
MESSAGE_MENTIONS_KO = "워밍업이 한 단계 앞서 있습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def warmup_cosine_schedule(optimizer, warmup_steps, total_steps, min_lr_ratio=0.0):
    import math

    def factor(t):
        if t < warmup_steps:
            return (t + 1) / warmup_steps
        s = min(1.0, (t - warmup_steps) / (total_steps - warmup_steps))
        return min_lr_ratio + (1 - min_lr_ratio) * (1 + math.cos(math.pi * s)) / 2

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
