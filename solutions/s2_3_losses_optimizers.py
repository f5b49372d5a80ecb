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


def bce_with_logits(logits, target, pos_weight=None):
    # log sigmoid(x) = -(max(-x, 0) + log1p(exp(-|x|))): every exp is of a number <= 0
    log_p = -(torch.clamp(-logits, min=0) + torch.log1p(torch.exp(-logits.abs())))
    log_not_p = log_p - logits  # log(1 - sigmoid(x)) = log sigmoid(-x) = log sigmoid(x) - x
    weight = 1.0 if pos_weight is None else pos_weight
    return -(weight * target * log_p + (1 - target) * log_not_p).mean()


def warmup_cosine_schedule(optimizer, warmup_steps, total_steps, min_lr_ratio=0.0):
    import math

    def factor(t):
        if t < warmup_steps:
            return t / warmup_steps
        s = min(1.0, (t - warmup_steps) / (total_steps - warmup_steps))
        return min_lr_ratio + (1 - min_lr_ratio) * (1 + math.cos(math.pi * s)) / 2

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def train_with_schedule(model, batches, epochs, lr, warmup_steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = warmup_cosine_schedule(optimizer, warmup_steps, epochs * len(batches))
    used = []
    for _ in range(epochs):
        for x, y in batches:
            used.append(optimizer.param_groups[0]["lr"])
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            scheduler.step()
    return used
