"""Writes `v = momentum * v + g`, which rebinds a local name: the caller's velocity stays zero and the momentum is lost."""
CAUGHT_BY = "test_sgd_momentum_steps_match_torch"
MESSAGE_MENTIONS = "instead of updated in place"
MESSAGE_MENTIONS_KO = "제자리에서 갱신하지 않고"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def sgd_momentum_step(params, velocities, lr, momentum, weight_decay=0.0):
    for p, v in zip(params, velocities):
        g = p.grad + weight_decay * p
        v = momentum * v + g
        p.sub_(lr * v)
