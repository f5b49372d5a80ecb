"""2.1 nn.Module: what the student's process observes for exercises/s2_1_nn_module.py.

Modules live in the student's process: the student's models stay there (the judge holds handles), the models the
grader builds are built here, beside the student's code, and the observations below report their parameters,
buffers, gradients and classes as data (read as Python stores them and as torch's C++ side holds them), what the
student's functions returned for them, and what a forward and backward through them gave.
"""
import collections

import torch
from torch import nn

from graders.support import pristine
from ptgrade.protocol.observation import observation

# -- reading a module beside the student's code ---------------------------------------------------------
# The observations read modules as Python stores them and tensors as torch's C++ side holds them
# (graders/support/pristine.py): each module's _modules, _parameters and _buffers, TensorBase's own descriptors,
# the real class of an object. Never parameters(), named_parameters(), modules(), state_dict(), isinstance,
# Tensor.requires_grad or Tensor.backward, which the student's process may have patched (or the student's class
# overridden) to report what the grader looks for.

_snapshot = pristine.snapshot


def _own_tensors(module):
    """{name: tensor} of a module's own parameters (not its children's), as it stores them."""
    return {name: t for name, t in pristine.items(pristine.instance_dict(module).get("_parameters")) if t is not None}


def _linear(m):
    """An nn.Linear as data: its sizes (from its weight's shape), weight and bias (as they are now)."""
    own = _own_tensors(m)
    weight, bias = own.get("weight"), own.get("bias")
    shape = pristine.tensor_attr(weight, "shape") if weight is not None else None
    return {"in_features": None if shape is None or len(shape) != 2 else shape[1],
            "out_features": None if shape is None or len(shape) != 2 else shape[0],
            "weight": _snapshot(weight), "bias": _snapshot(bias), "module": m}


def _linears(model) -> list:
    """Every nn.Linear under `model` (itself included), in model.modules() order."""
    return [m for _, m in pristine.submodules(model) if pristine.is_instance(m, nn.Linear)]


def _parameter_table(model):
    """(dotted name, parameter) of every parameter once (a tied one under its first name), as named_parameters()
    gives them."""
    table, seen = [], set()
    for prefix, m in pristine.submodules(model):
        for name, t in _own_tensors(m).items():
            if id(t) not in seen:
                seen.add(id(t))
                table.append((f"{prefix}.{name}" if prefix else name, t))
    return table


def _freeze(module):
    """requires_grad off for every parameter of `module` (through TensorBase's own descriptor)."""
    for _, t in _parameter_table(module):
        pristine.set_tensor_attr(t, "requires_grad", False)


# -- the models the grader builds (in the student's process, beside the student's code) ---------------

def _tied_model(a, b):
    first, last = nn.Linear(a, b), nn.Linear(a, b)
    last.weight = first.weight  # tied: one parameter used twice
    return nn.Sequential(first, nn.BatchNorm1d(b), nn.Linear(b, a), last)


def _init_model(norm_weight, last_bias):
    """(model, its outer Linear, its LayerNorm, its nested Linear, its last Linear (with a bias or not)). The LayerNorm's
    weight is filled with norm_weight and its bias with -norm_weight: neither is what an initialiser would leave."""
    outer, norm, nested = nn.Linear(512, 256), nn.LayerNorm(256), nn.Linear(256, 384)
    last = nn.Linear(384, 64, bias=last_bias)
    for name, value in (("weight", norm_weight), ("bias", -norm_weight)):
        pristine.tensor_method("fill_")(pristine.tensor_attr(_own_tensors(norm)[name], "data"), value)
    return nn.Sequential(outer, nn.ReLU(), nn.Sequential(norm, nested), last), outer, norm, nested, last


def _decay_model(names, frozen, last_bias):
    layers = [nn.Embedding(10, 4), nn.Linear(4, 6), nn.LayerNorm(6), nn.Linear(6, 2, bias=last_bias)]
    _freeze(layers[frozen])
    return nn.Sequential(collections.OrderedDict(zip(names, layers)))


# -- observations -----------------------------------------------------------------------------------

def _behaves_as_sequential(value) -> bool:
    """Whether `value` keeps its modules as nn.Sequential does: in its _modules, in order, with len(), [i], [-1] and
    slices that agree (a slice is of the same class). A stand-in put in place of torch.nn.Sequential before this
    file was imported must behave as Sequential does to pass for it."""
    modules = [m for _, m in pristine.items(pristine.instance_dict(value).get("_modules"))]
    if not modules or len(value) != len(modules):
        return False
    if not all(value[i] is m for i, m in enumerate(modules)) or value[-1] is not modules[-1]:
        return False
    head = value[0:1]
    return pristine.TYPE(head) is pristine.TYPE(value) and \
        [m for _, m in pristine.items(pristine.instance_dict(head).get("_modules"))] == modules[:1]


@observation
def kind_of(impl, value):
    """The class of `value` (its real class's name), whether it is an nn.Module and whether its class is
    nn.Sequential itself (and keeps its modules as nn.Sequential does)."""
    return {"type": pristine.class_name(value), "is_module": pristine.is_instance(value, nn.Module),
            "sequential": pristine.TYPE(value) is nn.Sequential and _behaves_as_sequential(value)}


@observation
def parameters_of(impl, model):
    """The shape of each parameter (once each, as parameters() lists them), their names, and the keys state_dict()
    would have: read from the module tree as Python stores it."""
    keys = []
    for prefix, m in pristine.submodules(model):
        dotted = (prefix + ".") if prefix else ""
        keys += [dotted + name for name in _own_tensors(m)]
        keys += [dotted + name for name, t in pristine.items(pristine.instance_dict(m).get("_buffers"))
                 if t is not None and name not in pristine.persistent(m)]
    table = _parameter_table(model)
    return {"shapes": [tuple(pristine.tensor_attr(t, "shape")) for _, t in table], "names": [n for n, _ in table],
            "state_dict": keys}


@observation
def linear_layers(impl, model):
    """Every nn.Linear of the module tree, in model.modules() order, as data (sizes, weight, bias)."""
    return [{k: v for k, v in _linear(m).items() if k != "module"} for m in _linears(model)]


@observation
def children_kinds(impl, model):
    """For each module directly in `model` (its _modules, in order): its class name and whether its class is
    nn.ReLU, nn.Linear."""
    return [{"name": pristine.class_name(m), "relu": pristine.TYPE(m) is nn.ReLU,
             "linear": pristine.TYPE(m) is nn.Linear}
            for _, m in pristine.items(pristine.instance_dict(model).get("_modules"))]


@observation
def squared_error_gradients(impl, model, x, target):
    """out = model(x), then backward from out with the gradient of ((out - target) ** 2).sum() (run through torch's
    compiled functions and autograd's engine): out, whether it required grad, and the (weight.grad, bias.grad) of
    every nn.Linear of the module tree (as listed before the forward, the order linear_layers reports)."""
    linears = [_own_tensors(m) for m in _linears(model)]
    out = model(x)
    requires_grad = pristine.tensor_attr(out, "requires_grad") is True
    if requires_grad:
        upstream = pristine.vf("mul")(pristine.vf("sub")(_snapshot(out), target), 2.0)
        pristine.backward((out,), (upstream,))

    def grad(t):
        return None if t is None else _snapshot(pristine.tensor_attr(t, "grad"))
    return {"out": _snapshot(out), "requires_grad": requires_grad,
            "grads": [(grad(own.get("weight")), grad(own.get("bias"))) for own in linears]}


@observation
def count_parameters_of_tied_model(impl, case, **kwargs):
    """count_parameters(model, **kwargs) for a fresh _tied_model(a, b), its middle Linear(b, a) frozen or not, where
    case is pristine.seal((a, b, frozen)): unsealed (and so wiped from the worker's request), the sizes are in the
    model only, and a count built from the recipe cannot be made without them."""
    a, b, frozen_middle = pristine.unseal(case)
    model = _tied_model(a, b)
    if frozen_middle:
        _freeze(dict(pristine.submodules(model))["2"])
    del a, b, frozen_middle, case
    return impl.count_parameters(model, **kwargs)


@observation
def init_weights_result(impl, norm_weight, last_bias=True):
    """init_weights(model) for a fresh _init_model(norm_weight, last_bias): whether it returned the model itself, then the
    three nn.Linear layers (outer, nested, last) and the LayerNorm's weight and bias as they are afterwards (read
    through the modules taken before the call), and whether every parameter of the model is still the tensor it held
    before the call (re-initialised in place, not replaced)."""
    model, outer, norm, nested, last = _init_model(norm_weight, last_bias)
    before = [(m, name, t) for m in (outer, norm, nested, last) for name, t in _own_tensors(m).items()]
    result = impl.init_weights(model)
    return {"same": result is model,
            "linears": [{k: v for k, v in _linear(m).items() if k != "module"} for m in (outer, nested, last)],
            "norm_weight": _snapshot(_own_tensors(norm).get("weight")),
            "norm_bias": _snapshot(_own_tensors(norm).get("bias")),
            "replaced": [f"{pristine.class_name(m)}.{name}" for m, name, t in before
                         if _own_tensors(m).get(name) is not t]}


_ADAMW_DEFAULT_DECAY = 1e-2  # what AdamW gives a group without a weight_decay


@observation
def decay_groups_in_adamw(impl, weight_decay, case):
    """decay_groups(model, weight_decay) for a fresh _decay_model(frozen, last_bias), given to
    torch.optim.AdamW(groups, lr=1e-3) (which must accept them): the class of what it returned and, if a list, each
    group read as AdamW reads it (its weight_decay, AdamW's default when it has none; the parameter names, from
    (name, parameter) pairs or param_names), and whether each name is paired with the model's parameter of that
    name. The groups are read from the returned dicts, not from the optimizer's param_groups. case is
    pristine.seal((names, frozen, last_bias)), unsealed (and so wiped from the worker's request)."""
    model = _decay_model(*pristine.unseal(case))
    del case
    groups = impl.decay_groups(model, weight_decay)
    if not pristine.is_instance(groups, list):
        return {"type": pristine.class_name(groups), "groups": None}
    by_name = dict(_parameter_table(model))
    read, given = [], []
    for group in groups:
        entries = dict(pristine.items(group))
        params = entries.get("params", [])
        params = [params] if pristine.is_tensor(params) else list(params)
        pairs = [p for p in params if pristine.is_instance(p, tuple) and len(p) == 2]
        names = [n for n, _ in pairs] if pairs else list(entries.get("param_names", []))
        tensors = [t for _, t in pairs] if pairs else params
        read.append({"weight_decay": entries.get("weight_decay", _ADAMW_DEFAULT_DECAY), "param_names": names,
                     "paired": len(names) == len(tensors) and all(n in by_name and t is by_name[n]
                                                                  for n, t in zip(names, tensors))})
        given.append({**entries, "params": params})
    torch.optim.AdamW(given, lr=1e-3)
    return {"type": pristine.class_name(groups), "groups": read}


@observation
def standardize_after_the_caller_changes_its_tensors(impl, mean, std, x, shift):
    """layer = Standardize(mean, std), then the caller adds `shift` to its own mean and std tensors in place:
    layer(x)."""
    layer = impl.Standardize(mean, std)
    for given in (mean, std):
        pristine.tensor_method("add_")(given, shift)
    return layer(x)


@observation
def in_sequential(impl, module):
    """nn.Sequential(module): the container lives beside the student's code (a handle here)."""
    return nn.Sequential(module)


@observation
def moved_to(impl, model, target):
    """model.to(target) (its result ignored: a module moves in place): the device type and dtype of each parameter
    and buffer of the module tree afterwards."""
    model.to(target)
    return [(pristine.device_type(t), pristine.tensor_attr(t, "dtype")) for _, _, t in pristine.module_tensors(model)]


# -- collapse_linears, Dropout, BatchNorm1d -------------------------------------------------------------

def linear_holding(weight, bias):
    """An nn.Linear holding `weight` (out, in) and `bias` (out,): what collapse_linears is given, built where it runs
    (a module cannot travel to the student's code)."""
    out_features, in_features = pristine.tensor_attr(weight, "shape")
    layer = nn.Linear(in_features, out_features)
    layer.load_state_dict({"weight": weight, "bias": bias})
    return layer


@observation
def collapse_linears_result(impl, w1, b1, w2, b2, x):
    """collapse_linears(first, second) for first = linear_holding(w1, b1), second = linear_holding(w2, b2): the class
    of what it returned; if an nn.Linear, its sizes, weight and bias and what it computes for x; and the weights of
    first and second afterwards."""
    first, second = linear_holding(w1, b1), linear_holding(w2, b2)
    result = impl.collapse_linears(first, second)
    is_linear = pristine.is_instance(result, nn.Linear)
    return {"type": pristine.class_name(result), "is_linear": is_linear,
            "linear": {k: v for k, v in _linear(result).items() if k != "module"} if is_linear else None,
            "out": _snapshot(result(x)) if is_linear else None,
            "first": _linear(first)["weight"], "first_bias": _linear(first)["bias"],
            "second": _linear(second)["weight"], "second_bias": _linear(second)["bias"]}


@observation
def dropout_runs(impl, model, x, seed):
    """A Dropout module made by the student's code: in training mode, model(x) after seeding the global generator with
    `seed` (first), model(x) again without reseeding (again), model(x) after seeding with `seed` again (replay); then
    after model.eval(), model(x) (evaluated); then after model.train(), model(x) (back)."""
    model.train()
    pristine.seed_global(seed)
    first = _snapshot(model(x))
    again = _snapshot(model(x))
    pristine.seed_global(seed)
    replay = _snapshot(model(x))
    model.eval()
    evaluated = _snapshot(model(x))
    model.train()
    back = _snapshot(model(x))
    return {"first": first, "again": again, "replay": replay, "evaluated": evaluated, "back": back}


def _own_buffers(module):
    """{name: tensor} of a module's own buffers, as it stores them."""
    return {name: t for name, t in pristine.items(pristine.instance_dict(module).get("_buffers")) if t is not None}


@observation
def own_state(impl, module):
    """The module's own parameters and buffers ({name: tensor} each, as it stores them, not its children's)."""
    return {"parameters": {name: _snapshot(t) for name, t in _own_tensors(module).items()},
            "buffers": {name: _snapshot(t) for name, t in _own_buffers(module).items()}}


@observation
def batchnorm_steps(impl, model, weight, bias, steps):
    """A BatchNorm1d made by the student's code, its own `weight` and `bias` parameters (as it stores them) set to the
    given values first (the names it lacks are listed in `missing`). Then for each (x, upstream, train) of steps:
    model.train(train), out = model(leaf) for a new leaf holding x, and when out requires grad and has x's shape,
    backward from out with upstream through autograd's engine: out, the leaf's .grad, each own parameter's .grad
    (cleared afterwards), the module's own buffers after the step and the names of those that require grad (a
    running statistic updated outside torch.no_grad() keeps the batch's graph)."""
    own = _own_tensors(model)
    for name, value in (("weight", weight), ("bias", bias)):
        if name in own:
            pristine.tensor_method("copy_")(pristine.tensor_attr(own[name], "data"), value)
    records = []
    for x, upstream, train in steps:
        model.train(train)
        leaf = pristine.leaf(x)
        out = model(leaf)
        if pristine.tensor_attr(out, "requires_grad") is True and \
                tuple(pristine.tensor_attr(out, "shape")) == tuple(pristine.tensor_attr(x, "shape")):
            pristine.backward((out,), (upstream,))
        grads = {}
        for name, t in _own_tensors(model).items():
            grads[name] = _snapshot(pristine.tensor_attr(t, "grad"))
            pristine.set_tensor_attr(t, "grad", None)
        records.append({"out": _snapshot(out), "x_grad": _snapshot(pristine.tensor_attr(leaf, "grad")),
                        "grads": grads, "buffers": {name: _snapshot(t) for name, t in _own_buffers(model).items()},
                        "buffers_requiring_grad": sorted(name for name, t in _own_buffers(model).items()
                                                         if pristine.tensor_attr(t, "requires_grad") is True)})
    return {"missing": [name for name in ("weight", "bias") if name not in own], "steps": records}
