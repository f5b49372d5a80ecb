"""Leaves weight_decay out of the SGD step: g is p.grad alone."""
CAUGHT_BY = "test_sgd_momentum_steps_match_torch"
MESSAGE_MENTIONS = "weight_decay is left out"
MESSAGE_MENTIONS_KO = "weight_decay를 빠뜨렸습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def sgd_momentum_step(params, velocities, lr, momentum, weight_decay=0.0):
    for p, v in zip(params, velocities):
        v.mul_(momentum).add_(p.grad)
        p.sub_(lr * v)
