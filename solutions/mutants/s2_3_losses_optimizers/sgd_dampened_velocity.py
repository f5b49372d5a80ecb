"""Uses an exponential moving average v = m * v + (1 - m) * g, which is not torch's SGD momentum."""
CAUGHT_BY = "test_sgd_momentum_steps_match_torch"
MESSAGE_MENTIONS = "dampening"
MESSAGE_MENTIONS_KO = "dampening"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def sgd_momentum_step(params, velocities, lr, momentum, weight_decay=0.0):
    for p, v in zip(params, velocities):
        g = p.grad + weight_decay * p
        v.mul_(momentum).add_((1 - momentum) * g)
        p.sub_(lr * v)
