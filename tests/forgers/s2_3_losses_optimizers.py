"""Forger for 2.3: the untouched stub, plus every fake it can make in its own process.

- torch.equal and torch.allclose always say True;
- the grader's observations are replaced in this process (it imports graders.observations.s2_3_losses_optimizers):
  torch_functions_called reports that no torch function ran (so "written by hand" reads True);
- for the grader as it was, whose observations ran the student's code in its process and reported what came out,
  the rule instead of the student's code: loss_and_gradient answers torch's own loss and gradient,
  student_trajectory runs torch.optim.SGD / Adam with the grader's public loss, schedule_trace answers the grader's
  own formula for the lr, scheduled_training trains with LambdaLR and that formula. None of them calls the stub.
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

    Returns the learning rate each batch was trained with, in order (one float per optimizer step).
    """
    raise NotImplementedError("train_with_schedule")


# -- the fakes ---------------------------------------------------------------------------------------------------
FORGED = {}

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True

try:
    import graders.observations.s2_3_losses_optimizers as _grader
    import graders.support.calls as _calls
    import torch.nn.functional as _F

    def _fake(module, name, function):
        if hasattr(module, name):
            getattr(module, name).__ptgrade_observation__ = function

    _fake(_calls, "torch_functions_called", lambda impl, name, *args, **kwargs: [])
    _fake(_grader, "torch_functions_called", lambda impl, name, *args, **kwargs: [])

    _TORCH = {"mse_loss": _F.mse_loss, "cross_entropy": _F.cross_entropy,
              "bce_with_logits": _F.binary_cross_entropy_with_logits}

    def _loss_and_gradient(impl, function, inputs, kwargs):
        leaf = inputs[0].detach().clone().requires_grad_(True)
        loss = _TORCH[function](leaf, *inputs[1:], **kwargs)
        return loss.detach(), True, torch.autograd.grad(loss, leaf)[0]

    _OPTIMIZERS = {"sgd": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
                   "sgd by default": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9),
                   "adam": lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05),
                   "adam by default": lambda ps: torch.optim.Adam(ps)}

    def _trajectory(impl, kind, start, n_steps):
        ours = [p.clone().requires_grad_(True) for p in start]
        optimizer = _OPTIMIZERS[kind](ours)
        out = []
        for step in range(1, n_steps + 1):
            optimizer.zero_grad()
            _grader._loss(ours, step).backward()
            optimizer.step()
            out.append([p.detach().clone() for p in ours])
        return out

    def _schedule(impl, base_lrs, warmup, total, ratio, n_steps):
        lrs = [[lr * _grader._warmup_cosine(t, warmup, total, ratio) for lr in base_lrs] for t in range(n_steps)]
        return "LambdaLR", True, lrs, [list(row) for row in lrs]

    def _training(impl, init, batches, epochs, lr, warmup):
        model = torch.nn.Linear(3, 1, dtype=torch.float64)
        model.load_state_dict(init)
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        total = epochs * len(batches)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: _grader._warmup_cosine(t, warmup, total))
        used = []
        for _ in range(epochs):
            for x, y in batches:
                used.append(optimizer.param_groups[0]["lr"])
                optimizer.zero_grad()
                _F.mse_loss(model(x), y).backward()
                optimizer.step()
                scheduler.step()
        return used, {name: value.detach().clone() for name, value in model.state_dict().items()}

    _fake(_grader, "loss_and_gradient", _loss_and_gradient)
    _fake(_grader, "student_trajectory", _trajectory)
    _fake(_grader, "schedule_trace", _schedule)
    _fake(_grader, "scheduled_training", _training)
except ImportError:
    pass
