"""Reference solution for 2.3 (the task is in exercises/s2_3_losses_optimizers.py)."""
from __future__ import annotations

import torch


def mse_loss(prediction, target, reduction="mean"):
    squared = (prediction - target) ** 2
    if reduction == "mean":
        return squared.mean()
    if reduction == "sum":
        return squared.sum()
    return squared


def log_softmax(logits, dim=-1):
    shifted = logits - logits.amax(dim=dim, keepdim=True).detach()
    return shifted - shifted.exp().sum(dim=dim, keepdim=True).log()


def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0):
    log_probs = log_softmax(logits, dim=-1)
    keep = target != ignore_index
    safe_target = torch.where(keep, target, torch.zeros_like(target))
    nll = -log_probs.gather(1, safe_target.unsqueeze(1)).squeeze(1)
    smooth = -log_probs.mean(dim=1)
    per_row = (1.0 - label_smoothing) * nll + label_smoothing * smooth
    return (per_row * keep).sum() / keep.sum()


@torch.no_grad()
def sgd_momentum_step(params, velocities, lr, momentum, weight_decay=0.0):
    for p, v in zip(params, velocities):
        g = p.grad + weight_decay * p
        v.mul_(momentum).add_(g)
        p.sub_(lr * v)


@torch.no_grad()
def adam_step(params, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    for p, m, v in zip(params, exp_avgs, exp_avg_sqs):
        g = p.grad + weight_decay * p
        m.mul_(beta1).add_((1 - beta1) * g)
        v.mul_(beta2).add_((1 - beta2) * g * g)
        m_hat = m / (1 - beta1 ** step)
        v_hat = v / (1 - beta2 ** step)
        p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
