"""Forgets to cap s at 1: after total_steps the cosine climbs back up instead of staying at min_lr_ratio * base_lr."""
CAUGHT_BY = "test_warmup_cosine_schedule_follows_the_formula"
MESSAGE_MENTIONS = "is not capped at 1"
MESSAGE_MENTIONS_KO = "최대 1로 제한하지 않아서"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def warmup_cosine_schedule(optimizer, warmup_steps, total_steps, min_lr_ratio=0.0):
    import math

    def factor(t):
        if t < warmup_steps:
            return t / warmup_steps
        s = (t - warmup_steps) / (total_steps - warmup_steps)
        return min_lr_ratio + (1 - min_lr_ratio) * (1 + math.cos(math.pi * s)) / 2

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
