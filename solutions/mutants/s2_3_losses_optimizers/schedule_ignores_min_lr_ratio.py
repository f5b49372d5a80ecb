"""Decays the cosine to 0 whatever min_lr_ratio is: r is left out of r + (1 - r) * (1 + cos(pi * s)) / 2."""
CAUGHT_BY = "test_warmup_cosine_schedule_follows_the_formula"
MESSAGE_MENTIONS = "min_lr_ratio r is left out"
MESSAGE_MENTIONS_KO = "min_lr_ratio r을 빠뜨렸습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


def warmup_cosine_schedule(optimizer, warmup_steps, total_steps, min_lr_ratio=0.0):
    import math

    def factor(t):
        if t < warmup_steps:
            return t / warmup_steps
        s = min(1.0, (t - warmup_steps) / (total_steps - warmup_steps))
        return (1 + math.cos(math.pi * s)) / 2

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
