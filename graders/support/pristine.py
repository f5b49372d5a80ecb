"""What an observation reads beside the student's code without asking anything the student can patch.

An observation runs in the student's process, where a submission may have replaced any Python-level name before
the grader was imported: torch.equal, torch.randn, torch.manual_seed, torch.get_rng_state, Tensor.requires_grad
(a property on the torch.Tensor subclass shadows the real one), Tensor.backward, nn.Module.parameters, builtins
such as isinstance or len, or pushed a torch function or dispatch mode that rewrites what torch returns. A flag
an observation reads through those names is the student's word.

This module reads through what no such patch reaches: types derived from literals (type, object), the slots of
`type` itself, and torch's compiled types (TensorBase, Generator, the autograd engine, _VariableFunctions), whose
attributes Python cannot reassign. Each compiled piece is looked up once, at import, and validated: a class must
be a static (non-heap) type with the expected name, a function a compiled builtin with the expected name. A
stand-in a submission put in torch._C before the grader was imported (a heap type, a Python function) fails the
validation, and the check fails with `Tampered`. Reads run with torch functions disabled (so neither a torch
function mode nor a Tensor subclass's __torch_function__ answers for torch) and refuse to run while a torch dispatch
mode is active.

What it cannot stop: a submission that rewrites the kit's own code in its process (this module, the grader's
observation functions, the worker) can still make an observation say anything. Checks built on this module pair
every read with numbers the judge computes itself wherever the promise allows.
"""
from __future__ import annotations

import torch

TYPE = ().__class__.__class__                       # `type`, whatever builtins.type is now
_TYPE_SLOTS = TYPE.__dict__
_mro = _TYPE_SLOTS["__mro__"].__get__               # a class's MRO, past any metaclass property
_class_dict = _TYPE_SLOTS["__dict__"].__get__       # a class's own namespace (read-only proxy)
_flags = _TYPE_SLOTS["__flags__"].__get__
_name = _TYPE_SLOTS["__name__"].__get__
OBJECT = _mro(TYPE)[-1]                             # `object`
_GETSET = TYPE(_TYPE_SLOTS["__dict__"])             # getset_descriptor
_METHOD = TYPE(_class_dict(OBJECT)["__dir__"])      # method_descriptor
_BUILTIN = TYPE([].append)                          # builtin_function_or_method
_HEAP_TYPE = 1 << 9                                 # Py_TPFLAGS_HEAPTYPE: a class made by Python code


class Tampered(RuntimeError):
    """The student's process changed what the grader reads torch through: the check fails."""


def _refuse(what: str) -> None:
    from graders.support.words import say
    raise Tampered(say(f"the grader cannot read torch in your code's process: {what} was replaced or wrapped (a "
                       "patched torch._C, or a torch function or dispatch mode left active), so this check cannot be "
                       "graded.",
                       f"채점기가 작성한 코드의 프로세스에서 torch를 읽을 수 없으므로 이 검사는 채점할 수 없습니다. "
                       f"바뀌었거나 감싸진 것: {what}(torch._C가 패치되었거나, torch function 모드나 dispatch 모드가 "
                       "켜진 채 남아 있습니다)."))


def _contains(items, target) -> bool:
    for item in items:
        if item is target:
            return True
    return False


def _static_class(cls, name: str):
    if not (_contains(_mro(TYPE(cls)), TYPE) and not _flags(cls) & _HEAP_TYPE and _name(cls) == name):
        _refuse("torch._C." + name)
    return cls


def _builtin(function, name: str):
    if not (TYPE(function) is _BUILTIN and function.__name__ == name):
        _refuse(name)
    return function


def _slot(cls, name: str, kind):
    value = _class_dict(cls).get(name)
    if TYPE(value) is not kind:
        _refuse(name)
    return value


_C = torch._C
TENSOR_BASE = _static_class(_C.TensorBase, "TensorBase")
_TENSOR_SLOTS = _class_dict(TENSOR_BASE)
_GENERATOR = _static_class(_C.Generator, "Generator")
_DEFAULT_GENERATOR = _C.default_generator
_ENGINE_CLASS = _static_class(_C._ImperativeEngine, "_EngineBase")
_ENGINE = _ENGINE_CLASS()
_run_backward = _slot(_ENGINE_CLASS, "run_backward", _METHOD)
_VARIABLE_FUNCTIONS = _C._VariableFunctions
_static_class(TYPE(_VARIABLE_FUNCTIONS), "_VariableFunctionsClass")
_randn = _builtin(_VARIABLE_FUNCTIONS.randn, "randn")
_manual_seed = _slot(_GENERATOR, "manual_seed", _METHOD)
_function_modes = _builtin(_C._len_torch_function_stack, "_len_torch_function_stack")
_dispatch_modes = _builtin(_C._len_torch_dispatch_stack, "_len_torch_dispatch_stack")
FUNCTION_NODE = _static_class(_C._FunctionBase, "_FunctionBase")  # a custom autograd.Function's grad_fn
_NO_TORCH_FUNCTION = _static_class(_C.DisableTorchFunction, "DisableTorchFunction")
_push_mode = _builtin(_C._push_on_torch_function_stack, "_push_on_torch_function_stack")
_pop_mode = _builtin(_C._pop_torch_function_stack, "_pop_torch_function_stack")
_push_hooks = _builtin(_C._autograd._push_saved_tensors_default_hooks, "_push_saved_tensors_default_hooks")
_pop_hooks = _builtin(_C._autograd._pop_saved_tensors_default_hooks, "_pop_saved_tensors_default_hooks")
_grad_enabled = _builtin(_C.is_grad_enabled, "is_grad_enabled")


class _Sealed:
    """While active: torch functions are disabled, so neither a torch function mode (torch.set_default_device's, or
    one a submission pushed) nor a Tensor subclass's __torch_function__ answers for the calls below; and no torch
    dispatch mode may be on its stack (none is in an ordinary process)."""

    def __enter__(self):
        if _dispatch_modes() != 0:
            _refuse("torch dispatch mode")
        self._off = _NO_TORCH_FUNCTION()
        self._off.__enter__()
        return self

    def __exit__(self, *exc):
        self._off.__exit__(*exc)
        return False


def grad_enabled() -> bool:
    """Whether autograd is on here, from torch's compiled query: a patched torch.is_grad_enabled does not answer."""
    return bool(_grad_enabled())


def is_instance(value, cls) -> bool:
    """isinstance(value, cls) read from value's real class and MRO (no metaclass, builtins or __class__ answers)."""
    return _contains(_mro(TYPE(value)), cls)


def is_tensor(value) -> bool:
    return is_instance(value, TENSOR_BASE)


def tensor_attr(value, name: str):
    """`value.<name>` for a tensor attribute kept in torch's C++ tensor (requires_grad, is_leaf, grad, grad_fn,
    device, dtype, shape...), read through TensorBase's own descriptor; None when value is not a tensor."""
    if not is_tensor(value):
        return None
    descriptor = _TENSOR_SLOTS.get(name)
    if TYPE(descriptor) is not _GETSET:
        raise KeyError(name)
    with _Sealed():
        return descriptor.__get__(value)


def set_tensor_attr(value, name: str, new) -> None:
    """`value.<name> = new` through TensorBase's own descriptor (e.g. a leaf's .grad)."""
    descriptor = _TENSOR_SLOTS.get(name)
    if not is_tensor(value) or TYPE(descriptor) is not _GETSET:
        raise TypeError(name)
    with _Sealed():
        descriptor.__set__(value, new)


def class_name(value) -> str:
    """The __name__ of value's real class (no __class__ property answers)."""
    return _name(TYPE(value))


def tensor_method(name: str, inside_mode: bool = False):
    """TensorBase's own method `name` (detach, requires_grad_, clone...), called as tensor_method(name)(t, ...).
    inside_mode: called from the grader's own function_mode, which is then on the stack (torch functions are still
    disabled for the call)."""
    method = _TENSOR_SLOTS.get(name)
    if TYPE(method) is not _METHOD:
        raise KeyError(name)

    def call(value, *args):
        if not is_tensor(value):
            raise TypeError(name + " of a value that is not a tensor")
        if inside_mode:
            with _NO_TORCH_FUNCTION():
                return method(value, *args)
        with _Sealed():
            return method(value, *args)
    return call


def leaf(value, requires_grad: bool = True):
    """A new leaf holding value's data (TensorBase.detach, then requires_grad_), whatever Tensor's methods do now."""
    out = tensor_method("detach")(value)
    if requires_grad:
        out = tensor_method("requires_grad_")(out)
    return out


def snapshot(value):
    """A tensor's data as it is now, detached and cloned by TensorBase's own methods; anything else as it is."""
    if not is_tensor(value):
        return value
    return tensor_method("clone")(tensor_method("detach")(value))


def vf(name: str):
    """torch.<name> as torch's compiled function (torch._C._VariableFunctions), called with torch functions off."""
    function = _builtin(getattr(_VARIABLE_FUNCTIONS, name), name)

    def call(*args):
        with _Sealed():
            return function(*args)
    return call


def seed_global(seed: int) -> None:
    """Seed the process's default CPU generator (the one torch.randn without a generator draws from)."""
    with _Sealed():
        _manual_seed(_DEFAULT_GENERATOR, seed)


def global_randn(n: int):
    """n draws from the process's default CPU generator, through torch's compiled randn."""
    with _Sealed():
        return _randn(n)


def backward(outputs: tuple, grad_outputs: tuple) -> None:
    """Run autograd's engine from `outputs` with `grad_outputs` (as Tensor.backward does, accumulating into the
    leaves' .grad), without Tensor.backward, torch.autograd.backward or any other Python-level name."""
    if _dispatch_modes() != 0:
        _refuse("torch dispatch mode")
    for value in (*outputs, *grad_outputs):
        if not is_tensor(value):
            raise TypeError("backward of a value that is not a tensor")
    _run_backward(_ENGINE, outputs, grad_outputs, False, False, (), True, True)


class saved_tensors_hooks:
    """torch.autograd.graph.saved_tensors_hooks, pushed through autograd's compiled functions."""

    def __init__(self, pack, unpack):
        self.pack, self.unpack = pack, unpack

    def __enter__(self):
        _push_hooks(self.pack, self.unpack)
        return self

    def __exit__(self, *exc):
        _pop_hooks()
        return False


def instance_dict(value) -> dict:
    """value.__dict__ as Python keeps it, past a class that defines its own __dict__ or __getattribute__."""
    for cls in _mro(TYPE(value)):
        descriptor = _class_dict(cls).get("__dict__")
        if TYPE(descriptor) is _GETSET:
            found = descriptor.__get__(value)
            if TYPE(found) is not TYPE({}):
                _refuse("__dict__")
            return found
    return {}


_DICT = TYPE({})
_dict_items = _slot(_DICT, "items", _METHOD)


def items(table) -> list:
    """The (key, value) pairs a dict really holds (dict.items itself, past a subclass's items)."""
    return list(_dict_items(table)) if is_instance(table, _DICT) else []


def module_tensors(module) -> list:
    """(kind, dotted name, tensor) of every parameter and buffer a module tree holds, read from each module's
    _parameters, _buffers and _modules as Python stores them (no parameters(), named_buffers() or __getattr__)."""
    found, seen, stack = [], set(), [("", module, 0)]
    while stack:
        prefix, current, depth = stack.pop(0)
        if id(current) in seen or depth > 32:
            continue
        seen.add(id(current))
        namespace = instance_dict(current)
        for kind, key in (("parameter", "_parameters"), ("buffer", "_buffers")):
            for name, tensor in items(namespace.get(key)):
                if tensor is not None:
                    found.append((kind, prefix + str(name), tensor))
        for name, child in items(namespace.get("_modules")):
            if child is not None:
                stack.append((prefix + str(name) + ".", child, depth + 1))
    return found


def persistent(module) -> set:
    """The names of a module's buffers that state_dict() leaves out, as the module stores them."""
    names = instance_dict(module).get("_non_persistent_buffers_set")
    return set(names) if is_instance(names, set) else set()


def submodules(module) -> list:
    """(dotted name, module) of `module` and every module under it, from each module's _modules as Python stores
    them (no modules(), children() or __iter__), in the order module.named_modules() gives."""
    found, seen = [], set()

    def visit(prefix, current, depth):
        if id(current) in seen or depth > 32:
            return
        seen.add(id(current))
        found.append((prefix, current))
        for name, child in items(instance_dict(current).get("_modules")):
            if child is not None:
                visit(prefix + ("." if prefix else "") + str(name), child, depth + 1)
    visit("", module, 0)
    return found


def device_type(tensor) -> str | None:
    """The type of the device a tensor's data is on ("cpu", "meta", "cuda"), read from torch's C++ tensor."""
    device = tensor_attr(tensor, "device")
    return None if device is None else device.type


class function_mode:
    """A torch function mode pushed through torch's compiled functions: handler(func, types, args, kwargs) answers
    every torch call made while it is active, including calls of TensorBase's methods through references the
    student's code captured. Leaving it, the mode popped must be this one (the student's code did not pop it)."""

    def __init__(self, handler):
        self._handler = handler

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return self._handler(func, types, args, {} if kwargs is None else kwargs)

    def __enter__(self):
        _push_mode(self)
        return self

    def __exit__(self, *exc):
        if _function_modes() == 0 or _pop_mode() is not self:
            _refuse("the grader's torch function mode")
        return False


# -- arguments an observation reads once and then wipes ----------------------------------------------------------
# What an observation is called with stays in the worker's request (the frames of ptgrade/worker/main.py) while the
# student's code runs: a faked machine described there could be read from the stack instead of asked of torch. A
# sealed argument travels as a uint8 tensor, the one kind of argument the worker hands to the observation as the
# very object in its request; unseal() decodes it with str, int and tuple methods taken from literals and zeroes
# the tensor in place, so afterwards the description lives only in the fakes it was used to install.
_INT, _BYTES, _TUPLE, _LIST = (0).__class__, b"".__class__, ().__class__, [].__class__
_SEP = "\x1f"


def _tokens(value, out: list) -> None:
    if value is None or value is True or value is False:
        out.append({None: "n", True: "t", False: "f"}[value])
    elif isinstance(value, int):
        out.append("i" + str(value))
    elif isinstance(value, str):
        if _SEP in value:
            raise ValueError("a sealed string cannot hold \\x1f")
        out.append("s" + value)
    elif isinstance(value, (tuple, list)):
        out.append("(")
        for item in value:
            _tokens(item, out)
        out.append(")")
    else:
        raise TypeError(f"cannot seal {type(value).__name__}")


def seal(value):
    """In the judge: `value` (None, bools, ints, strs and tuples of them) as a uint8 tensor for unseal()."""
    out: list = []
    _tokens(value, out)
    return torch.tensor(list(_SEP.join(out).encode("utf-8")), dtype=torch.uint8)


def unseal(sealed):
    """In the observation: the value seal() encoded; the tensor it came in is zeroed in place."""
    if not is_tensor(sealed):
        raise TypeError("unseal of a value that is not a tensor")
    codes = tensor_method("tolist")(sealed)
    tensor_method("zero_")(sealed)
    tokens = _BYTES(codes).decode("utf-8").split(_SEP)
    stack = [_LIST()]
    for token in tokens:
        head, rest = token[:1], token[1:]
        if head == "(":
            stack.append(_LIST())
            continue
        if head == ")":
            done = _TUPLE(stack.pop())
            stack[-1].append(done)
            continue
        stack[-1].append(None if head == "n" else True if head == "t" else False if head == "f"
                         else _INT(rest) if head == "i" else rest)
    return stack[0][0]
