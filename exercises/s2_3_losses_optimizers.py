"""2.3 Loss functions and optimizers — written by hand, then compared with torch's.

`nn.MSELoss`, `nn.CrossEntropyLoss`, `torch.optim.SGD` and `torch.optim.Adam` are a few lines of
arithmetic each. Writing them yourself shows what the options mean (`reduction`, `ignore_index`,
`label_smoothing`, `momentum`, Adam's bias correction) and where the numerical traps are:
`exp(1000.)` is `inf` in float32, so a softmax must subtract the maximum first.

Use torch tensor operations only (no `torch.nn.functional` losses, no `torch.optim` inside your
code: the grader compares you with them). Replace each `raise NotImplementedError`, then run
`ptgrade check 2.3`.
"""
from __future__ import annotations

import torch


def mse_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """Mean squared error, like `nn.MSELoss(reduction=...)`.

    The squared differences (prediction - target) ** 2, then: "mean" averages over every element
    (a 0-d tensor), "sum" adds them (0-d), "none" returns them unreduced (prediction's shape).
    """
    raise NotImplementedError("mse_loss")


def log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log(softmax(logits)) along `dim`, numerically stable.

    log softmax(x)_i = x_i - log(sum_j exp(x_j)). Computing `exp` directly overflows to inf for
    logits around 100 in float32 (89 is the limit) and gives nan. Softmax does not change when the
    same constant is subtracted from every logit along `dim`: choose that constant so that no exp
    ever sees a positive number. Must be exact for logits in the thousands. Write it with tensor
    operations: torch's own `F.log_softmax` / `torch.log_softmax` / `Tensor.log_softmax` (or any of
    its softmaxes) is what the grader compares you with, so it is not allowed here.
    """
    raise NotImplementedError("log_softmax")


def cross_entropy(logits: torch.Tensor, target: torch.Tensor, ignore_index: int = -100,
                  label_smoothing: float = 0.0) -> torch.Tensor:
    """Cross-entropy of (N, C) logits against (N,) int64 class indices, like
    `nn.CrossEntropyLoss(ignore_index=..., label_smoothing=...)` with its default mean reduction.

    Per row n with class y = target[n] and log-probabilities lp = log_softmax(logits[n]):
        loss_n = -(1 - label_smoothing) * lp[y] - label_smoothing * mean_c(lp[c])
    (label smoothing mixes the one-hot target with the uniform distribution over all C classes,
    the true class included). Rows whose target equals `ignore_index` (e.g. padding) count for
    nothing: the result is the mean of loss_n over the other rows only. Use your `log_softmax`
    (not `F.cross_entropy`, `F.nll_loss`, `nn.CrossEntropyLoss` or torch's log_softmax).
    Note `ignore_index` is not a valid class: never index the log-probabilities with it.
    """
    raise NotImplementedError("cross_entropy")


def sgd_momentum_step(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                      momentum: float, weight_decay: float = 0.0) -> None:
    """One step of SGD with momentum, in place, exactly as `torch.optim.SGD(params, lr, momentum,
    weight_decay=weight_decay)` (dampening 0, not Nesterov).

    For each parameter p (its gradient is p.grad) and its velocity v (a tensor of p's shape that
    you update in place; the caller starts it at zeros):
        g = p.grad + weight_decay * p
        v = momentum * v + g
        p = p - lr * v
    Update p and v *in place*, with autograd off: rebinding the name (`p = p - ...`) changes nothing outside the function, and an in-place change
    of a parameter that requires grad is an error unless autograd is off.
    """
    raise NotImplementedError("sgd_momentum_step")


def adam_step(params: list[torch.Tensor], exp_avgs: list[torch.Tensor], exp_avg_sqs: list[torch.Tensor],
              step: int, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
              weight_decay: float = 0.0) -> None:
    """One step of Adam, in place, exactly as `torch.optim.Adam(params, lr, betas, eps, weight_decay)`.

    `step` is the number of this step, starting at 1. For each parameter p with gradient p.grad and
    its moment estimates m (exp_avgs) and v (exp_avg_sqs), both updated in place, starting at zeros:
        g = p.grad + weight_decay * p            (Adam's L2 penalty; AdamW would decay p directly)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** step)          (bias correction: m and v start at 0)
        v_hat = v / (1 - beta2 ** step)
        p = p - lr * m_hat / (sqrt(v_hat) + eps) (eps outside the square root)
    """
    raise NotImplementedError("adam_step")


def bce_with_logits(logits: torch.Tensor, target: torch.Tensor,
                    pos_weight: torch.Tensor | None = None) -> torch.Tensor:
    """Binary cross-entropy of raw scores (logits) against targets in [0, 1], like
    `nn.BCEWithLogitsLoss(pos_weight=pos_weight)` with its default mean over every element.

    Per element, with p = sigmoid(x) the predicted probability of the positive class:
        loss = -(w * y * log(p) + (1 - y) * log(1 - p))
    where w = pos_weight (None means 1; a tensor broadcasts against the last axis: one weight per
    output, w > 1 counts positives more). Why the fused form exists: in float32, sigmoid(x) rounds
    to exactly 1.0 once x is above ~17, so log(1 - p) is log(0) = -inf, and the gradient through a
    saturated sigmoid is 0 (`nn.BCELoss` clamps the log at -100 to stay finite, which is still
    wrong). Written directly in terms of x, log(p) and log(1 - p) need no exp of a large positive
    number, so the loss and its gradient are exact for logits of +-100 and beyond. Must be exact
    there, with a gradient that matches torch's.
    """
    raise NotImplementedError("bce_with_logits")


def warmup_cosine_schedule(optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int,
                           min_lr_ratio: float = 0.0) -> torch.optim.lr_scheduler.LRScheduler:
    """A scheduler from `torch.optim.lr_scheduler` for `optimizer`: a linear warm-up, then a cosine
    decay, meant to be stepped once per batch (`scheduler.step()` after every `optimizer.step()`).

    After t calls of `scheduler.step()` (t = 0 before the first batch) every param group's lr is
    base_lr * f(t), where base_lr is that group's lr when the scheduler was made, r = min_lr_ratio:
        f(t) = t / warmup_steps                          for t < warmup_steps
        f(t) = r + (1 - r) * (1 + cos(pi * s)) / 2       for t >= warmup_steps,
               s = min(1, (t - warmup_steps) / (total_steps - warmup_steps))
    so the lr climbs from 0 to base_lr over the first warmup_steps batches, falls along half a
    cosine to r * base_lr at t = total_steps and stays there. `scheduler.get_last_lr()` reports the
    same values. (Here, and only here, use `torch.optim`: the task is to drive its scheduler.)
    """
    raise NotImplementedError("warmup_cosine_schedule")


def train_with_schedule(model: torch.nn.Module, batches: list[tuple[torch.Tensor, torch.Tensor]], epochs: int,
                        lr: float, warmup_steps: int) -> list[float]:
    """Train `model` in place for `epochs` passes over `batches` (a list of (x, y) pairs) with
    `torch.optim.SGD(model.parameters(), lr=lr)` on the mean squared error of model(x) against y,
    under `warmup_cosine_schedule(optimizer, warmup_steps, total_steps)` where total_steps is the
    number of batches in the whole run (min_lr_ratio 0). The schedule counts batches, not epochs.
    One optimizer step per batch, on that batch's gradient alone: gradients add up across backward() calls,
    so clear them (`optimizer.zero_grad()`) before each backward().

    Returns the learning rate each batch was trained with, in order (one float per optimizer step).
    """
    raise NotImplementedError("train_with_schedule")
