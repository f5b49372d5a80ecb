"""Writes `p = p - lr * v`, which rebinds a local name and leaves the caller's parameters unchanged."""
CAUGHT_BY = "test_sgd_momentum_steps_match_torch"
MESSAGE_MENTIONS = "in place"
MESSAGE_MENTIONS_KO = "각 매개변수를 제자리에서 갱신하세요"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def sgd_momentum_step(params, velocities, lr, momentum, weight_decay=0.0):
    for p, v in zip(params, velocities):
        g = p.grad + weight_decay * p
        v.mul_(momentum).add_(g)
        p = p - lr * v
