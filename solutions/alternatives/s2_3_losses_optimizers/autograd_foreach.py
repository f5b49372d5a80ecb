"""2.3 in another style: mse_loss dispatching on a table of reductions; log_softmax as a
torch.autograd.Function with its own backward (g - softmax * sum(g)); cross_entropy as the dot
product of a dense smoothed target distribution with the log-probabilities of the kept rows,
selected by a boolean mask; SGD written with multi-tensor torch._foreach_* ops over the whole list;
Adam in torch's own fused form (lerp_, addcmul_, addcdiv_ with the bias corrections folded into the
step size and the denominator); BCE as (1 - y) x + (1 + (w - 1) y) softplus(-x) with softplus from
torch.logaddexp; the schedule a closed-form LRScheduler subclass rather than LambdaLR; training over
one flat stream of batches, with our own mse_loss and the lr read from get_last_lr()."""
from __future__ import annotations

import itertools
import math

import torch
from torch.optim.lr_scheduler import LRScheduler

_REDUCTIONS = {"mean": torch.mean, "sum": torch.sum, "none": lambda t: t}


def mse_loss(prediction, target, reduction="mean"):
    diff = prediction - target
    return _REDUCTIONS[reduction](diff * diff)


class _LogSoftmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, dim):
        peak = torch.max(logits, dim=dim, keepdim=True).values  # every exp below sees a number <= 0
        out = logits - peak
        out -= torch.exp(out).sum(dim=dim, keepdim=True).log()
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad_out):
        (out,) = ctx.saved_tensors
        return grad_out - out.exp() * grad_out.sum(dim=ctx.dim, keepdim=True), None


def log_softmax(logits, dim=-1):
    return _LogSoftmax.apply(logits, dim)


def cross_entropy(logits, target, ignore_index=-100, label_smoothing=0.0):
    kept = target != ignore_index
    log_probs = log_softmax(logits[kept], dim=1)  # ignored rows never reach an index
    classes = torch.arange(logits.shape[1], device=logits.device)
    one_hot = (target[kept].unsqueeze(1) == classes).to(log_probs.dtype)
    smoothed = one_hot * (1.0 - label_smoothing) + label_smoothing / logits.shape[1]
    return -(smoothed * log_probs).sum(dim=1).mean()


@torch.no_grad()
def sgd_momentum_step(params, velocities, lr, momentum, weight_decay=0.0):
    grads = [p.grad for p in params]
    if weight_decay:
        grads = torch._foreach_add(grads, params, alpha=weight_decay)
    torch._foreach_mul_(velocities, momentum)
    torch._foreach_add_(velocities, grads)
    torch._foreach_add_(params, velocities, alpha=-lr)


@torch.no_grad()
def adam_step(params, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    step_size = lr / (1 - beta1 ** step)
    root_correction = math.sqrt(1 - beta2 ** step)
    for p, m, v in zip(params, exp_avgs, exp_avg_sqs):
        g = p.grad if not weight_decay else p.grad.add(p, alpha=weight_decay)
        m.lerp_(g, 1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        p.addcdiv_(m, (v.sqrt() / root_correction).add_(eps), value=-step_size)


def bce_with_logits(logits, target, pos_weight=None):
    # -log sigmoid(x) = softplus(-x) = log(e^0 + e^-x); -log(1 - sigmoid(x)) = x + softplus(-x)
    softplus_neg = torch.logaddexp(torch.zeros_like(logits), -logits)
    positive_scale = 1.0 if pos_weight is None else 1 + (pos_weight - 1) * target
    return ((1 - target) * logits + positive_scale * softplus_neg).mean()


class WarmupCosine(LRScheduler):
    """lr = base_lr * f(last_epoch), computed in closed form from the step count (never recursively)."""

    def __init__(self, optimizer, warmup_steps, total_steps, min_lr_ratio=0.0, last_epoch=-1):
        self.warmup_steps, self.total_steps, self.min_lr_ratio = warmup_steps, total_steps, min_lr_ratio
        super().__init__(optimizer, last_epoch)

    def factor(self, t):
        if t < self.warmup_steps:
            return t / self.warmup_steps
        progress = min(1.0, (t - self.warmup_steps) / (self.total_steps - self.warmup_steps))
        return self.min_lr_ratio + (1 - self.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))

    def get_lr(self):
        return [base_lr * self.factor(self.last_epoch) for base_lr in self.base_lrs]

    _get_closed_form_lr = get_lr


def warmup_cosine_schedule(optimizer, warmup_steps, total_steps, min_lr_ratio=0.0):
    return WarmupCosine(optimizer, warmup_steps, total_steps, min_lr_ratio)


def train_with_schedule(model, batches, epochs, lr, warmup_steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = warmup_cosine_schedule(optimizer, warmup_steps, total_steps=epochs * len(batches))
    lrs = []
    for x, y in itertools.chain.from_iterable(itertools.repeat(batches, epochs)):
        lrs.append(scheduler.get_last_lr()[0])
        mse_loss(model(x), y).backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        scheduler.step()
    return lrs
