"""1.3 Autograd: what the student's process observes for exercises/s1_3_autograd.py.

Gradients, `requires_grad`, `.grad`, `is_leaf` and `grad_fn` belong to the process that made them: every backward()
through the student's code runs here, beside it, and what it did comes back as data (the output, the input's
.grad, the autograd state of what the student's functions returned, what went through save_for_backward). The
functions grad_of differentiates are here too: the judge hands them to the student's code by name.
"""
import torch

from graders.support import pristine
from ptgrade.protocol.observation import observation

# -- the functions grad_of differentiates (module level: they travel to the student's process by name) --

def _cube_sum(t):
    return (t ** 3).sum()


def _x_sin_x_sum(t):
    return (t * t.sin()).sum()


def _row_product_sum(t):
    return (t[0] * t[1]).sum()


def _square_sum(t):
    return (t ** 2).sum()


# -- the functions vector_jacobian_product and jacobian differentiate: outputs that are not scalars --

def _cumsum(t):
    return t.cumsum(0)  # a lower-triangular Jacobian: v^T J and J v differ


def _softmax_rows(t):
    return t.softmax(-1)  # its rows sum to 1: the gradient of fn(x).sum() is zero


def _outer_square(t):
    return t[:, None] * t[None, :]  # (n,) -> (n, n): v has the output's shape, not x's


def _sin_moments(t):
    """(2, 3) -> (4,): a map that is not square, so J (4, 2, 3) and its transposes differ in shape."""
    return torch.stack([t.sin().sum(), (t * t).sum(), t[0].prod(), (t[1] * t[0].cos()).sum()])


# -- observations: what the student's code did, seen beside it ----------------------------------------
# They read autograd's state (requires_grad, is_leaf, grad, grad_fn, what went through save_for_backward) and run
# backward through graders/support/pristine.py: TensorBase's own descriptors and methods, autograd's compiled
# engine and hooks, never Tensor.requires_grad, Tensor.backward or torch.autograd.graph.saved_tensors_hooks, which
# the student's process may have patched to report what the grader looks for.

_snapshot = pristine.snapshot  # a tensor as it is now (a later call must not change what an earlier one returned)
_attr = pristine.tensor_attr


@observation
def backward_through(impl, function: str, x, upstream, *args):
    """out = impl.<function>(x, *args) for a leaf x that requires grad, then backward from out with upstream as its
    gradient (what (out * upstream).sum().backward() does): out, whether it required grad, the first line of what
    backward raised (a RuntimeError), and x.grad."""
    x = pristine.leaf(x)
    out = getattr(impl, function)(x, *args)
    requires_grad = _attr(out, "requires_grad") is True
    seen = {"out": _snapshot(out), "requires_grad": requires_grad, "backward_error": None, "grad": None}
    if requires_grad:
        try:
            pristine.backward((out,), (upstream,))
        except (RuntimeError, TypeError) as error:
            seen["backward_error"] = (type(error).__name__, (str(error).strip().splitlines() or [""])[0])
            return seen
        seen["grad"] = _snapshot(_attr(x, "grad"))
    return seen


@observation
def grad_of_and_its_inputs(impl, x, w, stale_grad):
    """grad_of(sum of squares) on x and on w, as _called_on_both."""
    return _called_on_both(impl.grad_of, _square_sum, x, w, stale_grad)


def _called_on_both(function, fn, x, w, stale_grad):
    """function(fn, x) for an x that needs no grad, and function(fn, w) for w a leaf that requires grad, its .grad
    holding stale_grad: what came out, and the autograd state of x and w afterwards."""
    w = pristine.leaf(w)
    pristine.set_tensor_attr(w, "grad", _snapshot(stale_grad))
    out_x = _snapshot(function(fn, x))
    out_w = _snapshot(function(fn, w))
    return {"out_x": out_x, "x_requires_grad": _attr(x, "requires_grad"), "x_grad_is_none": _attr(x, "grad") is None,
            "out_w": out_w, "w_grad": _snapshot(_attr(w, "grad"))}


@observation
def tanh_layer_grads_of_a_trainable_w(impl, x, w, stale_grad):
    """tanh_layer_grads(x, w) for a w that is a leaf requiring grad, its .grad holding stale_grad: what came out,
    and w.grad afterwards."""
    w = pristine.leaf(w)
    pristine.set_tensor_attr(w, "grad", _snapshot(stale_grad))
    result = impl.tanh_layer_grads(x, w)
    if pristine.is_instance(result, tuple):
        result = tuple(_snapshot(part) for part in result)
    return {"result": result, "w_grad": _snapshot(_attr(w, "grad"))}


@observation
def accumulated_grad_calls(impl, w, xs, ys, stale_grad=None, calls=1):
    """accumulated_grad(w, xs, ys) `calls` times on one leaf w that requires grad (its .grad holding stale_grad
    first, if given): each result as it was when returned, and w.grad at the end."""
    w = pristine.leaf(w)
    if stale_grad is not None:
        pristine.set_tensor_attr(w, "grad", _snapshot(stale_grad))
    results = [_snapshot(impl.accumulated_grad(w, xs, ys)) for _ in range(calls)]
    return {"results": results, "w_grad": _snapshot(_attr(w, "grad"))}


@observation
def sgd_fit_result(impl, w0, *args, w0_requires_grad=False):
    """sgd_fit(w0, *args) (w0 made a leaf that requires grad first, if asked): the tensor it returned and its
    autograd state (is_leaf, requires_grad, grad_fn's class)."""
    if w0_requires_grad:
        w0 = pristine.leaf(w0)
    w = impl.sgd_fit(w0, *args)
    if not pristine.is_tensor(w):
        return {"w": w}
    grad_fn = _attr(w, "grad_fn")
    return {"w": _snapshot(w), "is_leaf": _attr(w, "is_leaf"), "requires_grad": _attr(w, "requires_grad"),
            "grad_fn": None if grad_fn is None else pristine.class_name(grad_fn)}


@observation
def softplus_vjp(impl, x, beta, grad_output):
    """x.grad after backward from softplus(x, beta) with grad_output, for a leaf x: what the student's backward
    gives."""
    x = pristine.leaf(x)
    pristine.backward((impl.softplus(x, beta),), (grad_output,))
    return _snapshot(_attr(x, "grad"))


def _tensors_in(value, depth=0):
    """Whether value is a tensor, or a list, tuple or dict holding one (two levels deep)."""
    if pristine.is_tensor(value):
        return True
    if depth < 2 and pristine.is_instance(value, dict):
        value = value.values()
    elif not (depth < 2 and (pristine.is_instance(value, list) or pristine.is_instance(value, tuple))):
        return False
    for item in value:
        if _tensors_in(item, depth + 1):
            return True
    return False


@observation
def softplus_saved_tensors(impl, x, beta):
    """softplus(x, beta) for a leaf x under saved-tensor hooks pushed through autograd's compiled functions: its
    output, whether its grad_fn is a custom autograd.Function's node, how many tensors went through
    save_for_backward, and the names of ctx attributes that hold tensors."""
    x = pristine.leaf(x)
    packed = []

    def pack(t):
        packed.append(None)
        return t

    with pristine.saved_tensors_hooks(pack, lambda t: t):
        out = impl.softplus(x, beta)
    grad_fn = _attr(out, "grad_fn")
    stashed = [k for k, v in pristine.instance_dict(grad_fn).items() if _tensors_in(v)] if grad_fn is not None else []
    return {"out": _snapshot(out), "has_grad_fn": grad_fn is not None,
            "function_node": grad_fn is not None and pristine.is_instance(grad_fn, pristine.FUNCTION_NODE),
            "saved": packed.__len__(), "stashed": stashed}


@observation
def vector_jacobian_product_and_its_input(impl, x, v, w, u, stale_grad):
    """vector_jacobian_product(cumsum, x, v) for an x that needs no grad, and (cumsum, w, u) for w a leaf that
    requires grad, its .grad holding stale_grad: what came out, and the autograd state of x and w afterwards."""
    w = pristine.leaf(w)
    pristine.set_tensor_attr(w, "grad", _snapshot(stale_grad))
    out_x = _snapshot(impl.vector_jacobian_product(_cumsum, x, v))
    out_w = _snapshot(impl.vector_jacobian_product(_cumsum, w, u))
    return {"out_x": out_x, "x_requires_grad": _attr(x, "requires_grad"), "x_grad_is_none": _attr(x, "grad") is None,
            "out_w": out_w, "w_grad": _snapshot(_attr(w, "grad"))}


@observation
def jacobian_and_its_input(impl, x, w, stale_grad):
    """jacobian(cumsum, ...) on x and on w, as _called_on_both."""
    return _called_on_both(impl.jacobian, _cumsum, x, w, stale_grad)


@observation
def tanh_layer_grads_of_a_plain_w(impl, x, w):
    """tanh_layer_grads(x, w) for a w that does not require grad: what came out, and w's autograd state afterwards."""
    result = impl.tanh_layer_grads(x, w)
    if pristine.is_instance(result, tuple):
        result = tuple(_snapshot(part) for part in result)
    return {"result": result, "w_requires_grad": _attr(w, "requires_grad"), "w_grad_is_none": _attr(w, "grad") is None}


def classifier(weights):
    """Linear(4, 6), Tanh, Linear(6, 3) in float64 holding `weights` (a state_dict): the model per_sample_grads
    differentiates, built where it runs (a module cannot travel to the student's code)."""
    model = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3)).double()
    model.load_state_dict(weights)
    return model


@observation
def per_sample_grads_and_the_model(impl, weights, x, y, stale_grads=None):
    """per_sample_grads(model, x, y) on classifier(weights), its parameters' .grad holding stale_grads ({name:
    tensor}, if given): the dict it returned ({name: tensor}, or the value itself when it is not a dict), and each
    parameter and its .grad after the call, and each module's training flag ({name: bool}, the model itself as
    "model"; all were True before), read from the module tree as Python stores it."""
    model = classifier(weights)
    parameters = [(name, tensor) for kind, name, tensor in pristine.module_tensors(model) if kind == "parameter"]
    for name, tensor in parameters if stale_grads is not None else ():
        pristine.set_tensor_attr(tensor, "grad", _snapshot(stale_grads[name]))
    result = impl.per_sample_grads(model, x, y)
    if pristine.is_instance(result, dict):
        result = {str(name): _snapshot(value) for name, value in pristine.items(result)}
    return {"result": result, "parameters": {name: _snapshot(tensor) for name, tensor in parameters},
            "grads": {name: _snapshot(_attr(tensor, "grad")) for name, tensor in parameters},
            "modes": {str(name) or "model": pristine.instance_dict(module).get("training") is True
                      for name, module in pristine.submodules(model)}}
