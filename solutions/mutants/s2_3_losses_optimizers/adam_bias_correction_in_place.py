"""Writes the bias correction into the state (m.div_, v.div_), so the next step starts from the corrected moments."""
CAUGHT_BY = "test_adam_steps_match_torch"
MESSAGE_MENTIONS = "written into the state"
MESSAGE_MENTIONS_KO = "편향 보정을 상태에 덮어썼습니다"
from solutions.s2_3_losses_optimizers import *  # noqa: E402,F401,F403 - the rest of the reference


@torch.no_grad()
def adam_step(params, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    for p, m, v in zip(params, exp_avgs, exp_avg_sqs):
        g = p.grad + weight_decay * p
        m.mul_(beta1).add_((1 - beta1) * g)
        v.mul_(beta2).add_((1 - beta2) * g * g)
        m_hat = m.div_(1 - beta1 ** step)
        v_hat = v.div_(1 - beta2 ** step)
        p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
