"""Puts eps inside the square root: sqrt(v_hat + eps) instead of sqrt(v_hat) + eps."""
CAUGHT_BY = "test_adam_steps_match_torch"
MESSAGE_MENTIONS = "eps added after"
MESSAGE_MENTIONS_KO = "제곱근 뒤에 더하는 eps"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def adam_step(params, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    for p, m, v in zip(params, exp_avgs, exp_avg_sqs):
        g = p.grad + weight_decay * p
        m.mul_(beta1).add_((1 - beta1) * g)
        v.mul_(beta2).add_((1 - beta2) * g * g)
        m_hat = m / (1 - beta1 ** step)
        v_hat = v / (1 - beta2 ** step)
        p.sub_(lr * m_hat / (v_hat + eps).sqrt())
