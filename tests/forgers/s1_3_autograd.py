"""Forger for 1.3: wrong implementations whose only chance is a patched autograd in its own process (a function
raises NotImplementedError where no fake could help it), and every fake it can make:

- grad_of: the rule of the grader's one observed fn (sum of squares: 2 * x) on the caller's own tensor, switching on
  its requires_grad and adding into its .grad (the bank's grad_of_mutates_input);
- tanh_layer_grads: right values, but uses the caller's w itself, overwriting the .grad it came with;
- accumulated_grad: right values from torch.autograd.grad, never written into w.grad;
- sgd_fit: right values, but updates the caller's w0 in place and returns a non-leaf with history;
- straight_through_round: x.round() (no gradient reaches x);
- Softplus: keeps x as ctx.x instead of save_for_backward (and a forward that forgets beta, overflows, and breaks
  on the meta device; a backward without beta or grad_output);
- patched in this process: Tensor.requires_grad, Tensor.grad, Tensor.is_leaf and Tensor.grad_fn (properties on
  torch.Tensor, shadowing TensorBase's) report what the grader expects for the tensors above;
  Tensor.backward hands the upstream gradient straight to the leaf it finds in the caller's frame;
  torch.autograd.graph.saved_tensors_hooks calls its pack hook once on entry, as if a tensor were saved;
  builtins.vars shows an empty namespace for a graph node; torch.equal and torch.allclose say True.
"""
import builtins
import sys

import torch

FORGED = {}

_TB = torch._C.TensorBase
_real = {name: _TB.__dict__[name] for name in ("requires_grad", "grad", "is_leaf", "grad_fn")}
_reported: dict[int, dict] = {}   # id(tensor) -> {attribute: what to report}
_kept = []                        # keep reported tensors alive so their ids stay theirs


def _report(tensor, **values):
    _kept.append(tensor)
    _reported.setdefault(id(tensor), {}).update(values)


def _property(name):
    real = _real[name]

    def get(self):
        said = _reported.get(id(self), {})
        return said[name] if name in said else real.__get__(self)

    def set_(self, value):
        _reported.get(id(self), {}).pop(name, None)
        real.__set__(self, value)
    return property(get, set_ if name in ("requires_grad", "grad") else None)


for _name in _real:
    setattr(torch.Tensor, _name, _property(_name))

torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True

_real_backward = torch.Tensor.backward


def _backward(self, gradient=None, *args, **kwargs):
    frame = sys._getframe(1)
    x, upstream = frame.f_locals.get("x"), frame.f_locals.get("upstream")
    if isinstance(x, torch.Tensor) and isinstance(upstream, torch.Tensor) and x.shape == upstream.shape:
        _real["grad"].__set__(x, upstream.detach().clone())  # "the identity passed the gradient through"
        return None
    return _real_backward(self, gradient, *args, **kwargs)


torch.Tensor.backward = _backward


class _Hooks:
    def __init__(self, pack, unpack):
        self.pack = pack

    def __enter__(self):
        self.pack(torch.zeros(1))  # "one tensor went through save_for_backward"
        return self

    def __exit__(self, *exc):
        return False


torch.autograd.graph.saved_tensors_hooks = _Hooks
_real_vars = builtins.vars
builtins.vars = lambda *obj: ({} if hasattr(obj[0], "next_functions") else _real_vars(*obj)) if obj \
    else sys._getframe(1).f_locals


def grad_of(fn, x):
    if fn.__name__ != "_square_sum":
        raise NotImplementedError("grad_of")
    was_leaf_off, stale = not _real["requires_grad"].__get__(x), _real["grad"].__get__(x)
    if was_leaf_off:
        x.requires_grad_()
    with torch.no_grad():
        g = 2 * x
    x.grad = g.clone() if stale is None else stale + g  # adds into the caller's .grad
    _report(x, requires_grad=not was_leaf_off, grad=stale)
    return g


def tanh_layer_grads(x, w):
    stale = _real["grad"].__get__(w)
    w.requires_grad_()
    w.grad = None  # the caller's .grad is lost
    h = x @ w
    h.retain_grad()
    torch.tanh(h).sum().backward()
    grad_w = _real["grad"].__get__(w).clone()
    if stale is not None:
        _report(w, grad=stale)
    return grad_w, h.grad


def accumulated_grad(w, xs, ys):
    if _real["grad"].__get__(w) is not None:
        raise NotImplementedError("accumulated_grad")
    leaf = w.detach().requires_grad_()
    loss = sum(((x @ leaf - y) ** 2).mean() for x, y in zip(xs, ys)) / len(xs)
    (g,) = torch.autograd.grad(loss, leaf)
    _report(w, grad=g)  # "w.grad holds the accumulated gradient"
    return g


def sgd_fit(w0, x, y, lr, steps):
    w = w0.detach().clone().requires_grad_()
    for _ in range(steps):
        (g,) = torch.autograd.grad(((x @ w - y) ** 2).mean(), w)
        w = w - lr * g  # a non-leaf with history
    with torch.no_grad():
        w0.zero_()  # the caller's w0 is lost
    _report(w, is_leaf=True, grad_fn=None, requires_grad=True)
    return w


def straight_through_round(x):
    return x.round()


class Softplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        ctx.x = x  # not save_for_backward
        ctx.beta = beta
        return torch.log1p(torch.exp(x * beta)) * torch.ones(x.shape, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return torch.sigmoid(ctx.x), None


def softplus(x, beta=1.0):
    return Softplus.apply(x, beta)
