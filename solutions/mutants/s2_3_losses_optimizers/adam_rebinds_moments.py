"""Rebinds m and v (`m = beta1 * m + ...`) instead of updating exp_avgs and exp_avg_sqs in place: the caller's moments
stay at zero, so every step is computed as a first step."""
CAUGHT_BY = "test_adam_steps_match_torch"
MESSAGE_MENTIONS = "moments are rebound"
MESSAGE_MENTIONS_KO = "이름만 다시 묶었습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()  # noqa: F405
def adam_step(params, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    for p, m, v in zip(params, exp_avgs, exp_avg_sqs):
        g = p.grad + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** step)
        v_hat = v / (1 - beta2 ** step)
        p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
