"""1.3 Autograd — requires_grad, leaves, backward, .grad, accumulation, no_grad, detach, custom Functions,
vector–Jacobian products and torch.func.

Autograd records every operation on tensors that require gradients and builds a graph from the
inputs to the result. `loss.backward()` walks that graph backwards (the chain rule) and *adds* the
gradient of `loss` with respect to each **leaf** tensor (one you created yourself with
`requires_grad=True`, not the result of an operation) into that leaf's `.grad`.

Three facts cause most autograd bugs:

- `.grad` **accumulates**: a second `backward()` adds to what is already there. That is what makes
  gradient accumulation over micro-batches work, and it is why a training loop must zero the gradients
  (`w.grad = None`, or `optimizer.zero_grad()`) before each step.
- Only leaves keep `.grad`. An intermediate (non-leaf) tensor's gradient is thrown away unless you
  call `.retain_grad()` on it before `backward()`, or ask for it with `torch.autograd.grad`.
- Updating parameters is not something to differentiate: do it inside `with torch.no_grad():`.
  `.detach()` returns a tensor that shares the data but is cut from the graph: no gradient flows
  through it, which is what you want in a few precise places and a silent bug everywhere else.

When autograd has no formula you want (numerical stability, a straight-through estimator, a fused
kernel), subclass `torch.autograd.Function` and write `forward` and `backward` yourself.
`backward` receives the gradient of the loss with respect to your output (`grad_output`) and must
return the gradient with respect to each input of `forward`: the chain rule is *your* job there.

Replace each `raise NotImplementedError` with your code, then run `ptgrade check 1.3`.
"""
from typing import Callable, Sequence

import torch


def grad_of(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """The gradient of the scalar `fn(x)` with respect to `x`, a tensor of `x`'s shape and dtype.

    Leave `x` exactly as you found it: do not switch on its `requires_grad`, and do not write into its
    `.grad` (the caller may be accumulating gradients there). Work on a fresh leaf made from it, or
    ask autograd for the gradient without touching any `.grad`.
    Example: `grad_of(lambda t: (t ** 2).sum(), torch.tensor([1., 2.]))` is `tensor([2., 4.])`.
    """
    raise NotImplementedError("grad_of")


def vector_jacobian_product(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
                            v: torch.Tensor) -> torch.Tensor:
    """v^T J: the vector–Jacobian product of `fn` at `x`, a tensor of `x`'s shape and dtype.

    `y = fn(x)` need not be a scalar. Its Jacobian J holds d y[i] / d x[j] for every pair; backpropagation
    never builds it. What one backward pass computes is v^T J for one `v` of `y`'s shape: the gradient of
    the scalar `(y * v).sum()`, where `v` plays the role of "d loss / d y" handed down from a loss further
    on. That is why `y.backward()` on a non-scalar `y` refuses ("grad can be implicitly created only for
    scalar outputs"): pass `v` yourself, `y.backward(v)`, or ask
    `torch.autograd.grad(y, leaf, grad_outputs=v)`.
    Example: for `fn = lambda t: t.cumsum(0)` and `x` of shape (3,), J is lower-triangular ones, so
    `v = tensor([1., 0., 0.])` gives `tensor([1., 0., 0.])` and `v = tensor([0., 0., 1.])` gives
    `tensor([1., 1., 1.])`.

    Watch for: `fn(x).sum().backward()` is v^T J for v of ones only; J v (a Jacobian–vector product,
    forward mode) is another thing and differs whenever J is not symmetric. As in `grad_of`, leave `x`
    exactly as you found it: work on a fresh leaf made from it.
    """
    raise NotImplementedError("vector_jacobian_product")


def jacobian(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """The whole Jacobian J of `fn` at `x`, built with `torch.func.jacrev`: a tensor of shape
    `fn(x).shape + x.shape`, whose entry `J[i..., j...]` is d fn(x)[i...] / d x[j...] (output indices first).

    `vector_jacobian_product` gets one v^T J per backward pass and never builds J. When you want J itself (a
    small map, a sensitivity table, a Newton step), `torch.func.jacrev(fn)(x)` builds it from VJPs: row i of J
    is the VJP with the one-hot v = e_i, and jacrev runs all of them at once with `vmap` instead of a Python
    loop of backward passes. `torch.func.jacfwd(fn)(x)` builds the same J column by column from forward-mode
    Jacobian-vector products J e_j: pick jacfwd when x has fewer elements than fn(x), jacrev otherwise.
    Example: for `fn = lambda t: t.cumsum(0)` and `x` of shape (3,), J is
    `tensor([[1., 0., 0.], [1., 1., 0.], [1., 1., 1.]])`, and for any `v` of fn(x)'s shape,
    `torch.tensordot(v, J, dims=v.dim())` is `vector_jacobian_product(fn, x, v)`: J^T v is the VJP.

    Watch for: the order of the indices. J with the input's indices first is the transpose, and for a map
    from (n,) to (n,) it has the right shape and the wrong values. `torch.func.grad` is for scalar outputs
    only: the gradient of `fn(x).sum()` is the sum of J's rows, not J. Leave `x` as you found it (torch.func
    never touches `.grad`).
    """
    raise NotImplementedError("jacobian")


def tanh_layer_grads(x: torch.Tensor, w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """For h = x @ w and loss = tanh(h).sum(), return (d loss / d w, d loss / d h).

    `w` is a leaf (it may or may not require grad on entry; make your own leaf from it), `h` is not:
    its gradient is only kept if you call `h.retain_grad()` before `backward()` (or if you ask
    `torch.autograd.grad` for it). Shapes: x (n, i), w (i, j), so both results have the shape of
    w and of h respectively.
    """
    raise NotImplementedError("tanh_layer_grads")


def accumulated_grad(w: torch.Tensor, xs: Sequence[torch.Tensor], ys: Sequence[torch.Tensor]) -> torch.Tensor:
    """Gradient accumulation: the gradient of the average micro-batch loss, built up in `w.grad`.

    `w` is a leaf with `requires_grad=True` (shape (d,)); `xs[k]` is (n_k, d) and `ys[k]` is (n_k,).
    The loss of micro-batch k is `((xs[k] @ w - ys[k]) ** 2).mean()`, and the loss we want the gradient
    of is the mean of those K losses. Do not concatenate the micro-batches (pretend they do not fit in
    memory together): for each one compute its loss, divide it by K, and call `backward()`, letting
    `.grad` add the contributions up.

    `w.grad` may hold a stale gradient from earlier work: clear it first (`w.grad = None`), and do not
    clear it again inside the loop. Return `w.grad`.
    """
    raise NotImplementedError("accumulated_grad")


def sgd_fit(w0: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    """Fit y ≈ x @ w by `steps` steps of plain gradient descent on the loss ((x @ w - y) ** 2).mean().

    Start from a fresh leaf holding a copy of `w0` (do not modify `w0`). Each step: compute the loss,
    backpropagate, and move `w` by `lr` times its gradient in place, where autograd does not record
    it (an in-place update of a leaf that requires grad is refused while autograd records, and
    `w = w - lr * w.grad` would make `w` a non-leaf with no `.grad` at the next step); then clear the
    gradient for the next step.
    Return `w`: still a leaf, requiring grad, with no `grad_fn`.
    """
    raise NotImplementedError("sgd_fit")


def straight_through_round(x: torch.Tensor) -> torch.Tensor:
    """`x.round()` in the forward pass, the identity in the backward pass (a straight-through estimator).

    `round` has zero gradient almost everywhere, so a quantised network would never learn through it.
    The trick: write the result as `x` plus a correction whose value makes it exactly `x.round()` but
    which autograd treats as a constant, so d out / d x = 1. Where you put `detach` decides everything.
    """
    raise NotImplementedError("straight_through_round")


class Softplus(torch.autograd.Function):
    """softplus_beta(x) = log(1 + exp(beta * x)) / beta, with a hand-written backward.

    `forward(ctx, x, beta)`: the naive formula overflows (`exp(1000.)` is inf); rewrite it into an
    equal form that never exponentiates a positive number, so large |x| gives finite, exact values.
    Save what backward needs with `ctx.save_for_backward(...)` (tensors only: autograd then frees them
    after backward and detects in-place changes to them); keep the plain float `beta` as `ctx.beta`.

    `backward(ctx, grad_output)`: differentiate softplus_beta with respect to x yourself, multiply by
    `grad_output` (the chain rule) and return one gradient per input of `forward`: `None` for `beta`,
    which is a float, not a tensor.
    """

    @staticmethod
    def forward(ctx, x: torch.Tensor, beta: float) -> torch.Tensor:
        raise NotImplementedError("Softplus")

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        raise NotImplementedError("Softplus")


def softplus(x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """Apply your Function: `Softplus.apply(x, beta)` (never call `forward` directly)."""
    raise NotImplementedError("softplus")


def per_sample_grads(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """The gradient of each sample's own loss, for every parameter: {name: tensor of shape (N, *param.shape)}.

    `model` is a classifier, `x` (N, ...) a batch of N inputs and `y` (N,) their class indices. Sample i's loss
    is `F.cross_entropy(model(x[i:i + 1]), y[i:i + 1])`, and entry [i] of each result is the gradient of that
    loss alone. `loss.backward()` on a batch gives one gradient, of the batch's mean loss: the per-sample
    ones (for differential privacy, or to see which samples dominate a step) are summed away.

    A loop over the samples works, but runs N backward passes. `torch.func` does it in one: write the loss of
    ONE sample as a function of the parameters, `sample_loss(params, xi, yi)`, running the model on given
    parameters with `torch.func.functional_call(model, params, (xi.unsqueeze(0),))` (`params` a dict
    {name: tensor}, as from `model.named_parameters()`); `torch.func.grad(sample_loss)` is a function that
    returns d sample_loss / d params (a dict like params); and `torch.func.vmap(..., in_dims=(None, 0, 0))`
    maps it over dimension 0 of `x` and `y` while sharing the parameters (None: not mapped).

    Keys: every name of `model.named_parameters()`. Leave the model as you found it: its parameters, their
    `.grad` and its mode (train or eval) unchanged (torch.func never touches `.grad`; a loop that calls backward()
    does).
    """
    raise NotImplementedError("per_sample_grads")
