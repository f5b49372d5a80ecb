"""The judge's view of the student's code: `impl`, a proxy whose every use is a request to the
sandboxed worker (ptgrade/worker/main.py), answered with data.

`impl.f(x)` sends `x` to the worker, runs the student's `f` there and returns the result as data
(tensors, numbers, containers) or, for an object that cannot leave (a module, a dataset), a
`Handle` the grader can call and query the same way. Tensors passed in travel as copies: nothing the
worker sends is written into a tensor the judge owns, so an expected value computed from the grader's
inputs is computed from pristine ones. What the call did to its arguments is seen with `with_inputs`.
What student code raises arrives as data and is raised here as an exception of the same builtin or
torch class where that class is on an allowlist (so `except RuntimeError` in a grader still works),
else as a StudentError, carrying the worker's description in `.ptgrade`.

Expected values never leave the judge: requests carry inputs only.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import torch

from ptgrade.i18n import _
from ptgrade.judge.connection import Connection
from ptgrade.judge.rebuilt import StudentError  # noqa: F401 - graders catch it here
from ptgrade.protocol import observation as observation_mark
from ptgrade.protocol import problems, wire
from ptgrade.protocol.contract import CheckTimeout, StaleHandle, WorkerProblem  # noqa: F401 - graders catch them here
from ptgrade.protocol.requests import Op


# -- what graders hold ---------------------------------------------------------------------------
def _refs(value):
    """Request arguments with the judge's Handles replaced by references the worker resolves."""
    return wire.rebuild(value, _ref)


def _ref(value):
    if isinstance(value, torch.Tensor) and value.requires_grad and not value.is_leaf:
        return value.detach().requires_grad_()  # sent as a leaf; gradients flow back through _Bridge
    if isinstance(value, Handle):
        value._ptgrade_live()
        return wire.HandleRef(value._ptgrade_key)
    if isinstance(value, (torch.nn.Module, torch.optim.Optimizer)):
        raise TypeError("grader bug: a live module or optimizer cannot be handed to student code through a "
                        "call (the worker would train a copy); run that part in an @observation function.")
    if isinstance(value, RemoteImplementation):
        raise TypeError("grader bug: pass `impl` to an @observation function, not to student code.")
    return value


class Called(NamedTuple):
    """One call of student code: what it returned, and the arguments as the student's code left them.
    `args` and `kwargs` are the judge's own copies of the worker's tensors after the call (an in-place change
    shows there; a returned view shares their storage); the tensors the grader passed are never written."""
    value: object
    args: tuple
    kwargs: dict


def _after(structure, returned: list):
    """`structure` with its tensors, in `wire.tensors_in` order, replaced by the worker's after the call."""
    return wire.rebuild(structure, lambda v: returned.pop(0) if isinstance(v, torch.Tensor) else v)


def _call(connection: Connection, op: str, args: tuple, kwargs: dict, **fields) -> Called:
    sent = wire.tensors_in((args, kwargs))
    value, returned, graph = connection.request_raw(op, args=_refs(args), kwargs=_refs(kwargs), **fields)
    if not (isinstance(returned, list) and len(returned) == len(sent)
            and all(type(t) in (torch.Tensor, torch.nn.Parameter) for t in returned)):
        connection._kill()
        raise WorkerProblem(_("your code's process sent something the grader cannot read ({error}).").format(
            error=_("the arguments after the call")))
    after_args, after_kwargs = _after((args, kwargs), list(returned))
    if graph is not None and torch.is_grad_enabled():
        value = _connect(connection, graph, [t for t in sent if t.requires_grad], value)
    return Called(value, after_args, after_kwargs)


def with_inputs(function, *args, **kwargs) -> Called:
    """Call student code and see what it did to its arguments: `Called(value, args, kwargs)`, the arguments
    as the call left them. For promises about in-place changes and views (`x.add_(...)`, "returns a view of
    x"): the grader's own tensors are never changed by a call, so compare these with what it computes from
    its own. Under plain pytest (a function, not a Handle), the call runs on copies of the arguments."""
    if isinstance(function, Handle):
        function._ptgrade_live()
        return _call(function._ptgrade_connection, Op.CALL, args, kwargs,
                     target=wire.HandleRef(function._ptgrade_key))
    import copy
    args, kwargs = copy.deepcopy((args, kwargs))
    return Called(function(*args, **kwargs), args, kwargs)


class _Bridge(torch.autograd.Function):
    """Autograd across the boundary: the backward of a call's outputs asks the worker for the
    vector-Jacobian product through the student's graph (an observation, like any other)."""

    @staticmethod
    def forward(ctx, connection, graph, generation, count, *tensors):
        ctx.connection, ctx.graph, ctx.generation, ctx.count = connection, graph, generation, count
        return tuple(t.detach().clone() for t in tensors[count:])

    @staticmethod
    def backward(ctx, *grad_outputs):
        if ctx.generation != ctx.connection.generation:
            raise StaleHandle(_("not run: your code's process was restarted, so the gradient of an earlier "
                                "result cannot be computed any more."))
        grads = ctx.connection.request(Op.BACKWARD, graph=ctx.graph, grad_outputs=list(grad_outputs))
        if not isinstance(grads, list) or len(grads) != ctx.count:
            raise WorkerProblem(_("your code's process answered a gradient request with something else."))
        return (None, None, None, None, *[g if isinstance(g, torch.Tensor) else None for g in grads],
                *([None] * (len(grad_outputs))))


def _connect(connection: Connection, graph: int, inputs: list[torch.Tensor], value):
    outputs = [t for t in wire.tensors_in(value) if t.requires_grad]
    if not outputs:
        return value
    bridged = _Bridge.apply(connection, graph, connection.generation, len(inputs), *inputs, *outputs)
    swap = {id(old): new for old, new in zip(outputs, bridged)}
    return _swap(value, swap)


def _swap(value, swap):
    return wire.rebuild(value, lambda v: swap.get(id(v), v) if isinstance(v, torch.Tensor) else v)


class Handle:
    """An object that lives in the student's process; every use asks the worker."""

    def __init__(self, connection: Connection, generation: int, key: int, type_name: str, is_callable: bool):
        object.__setattr__(self, "_ptgrade_connection", connection)
        object.__setattr__(self, "_ptgrade_generation", generation)
        object.__setattr__(self, "_ptgrade_key", key)
        object.__setattr__(self, "_ptgrade_type", type_name)
        object.__setattr__(self, "_ptgrade_callable", is_callable)

    def _ptgrade_live(self) -> None:
        if self._ptgrade_generation != self._ptgrade_connection.generation:
            raise StaleHandle(_("not run: your code's process was restarted after an earlier check timed out "
                                "or crashed, and this check depended on an object made before that."))

    def _ptgrade_request(self, op: str, **fields):
        self._ptgrade_live()
        return self._ptgrade_connection.request(op, target=wire.HandleRef(self._ptgrade_key), **fields)

    def __call__(self, *args, **kwargs):
        self._ptgrade_live()
        return _call(self._ptgrade_connection, Op.CALL, args, kwargs, target=wire.HandleRef(self._ptgrade_key)).value

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ptgrade_request(Op.GETATTR, name=name)

    def __setattr__(self, name: str, value) -> None:
        self._ptgrade_request(Op.SETATTR, name=name, value=_refs(value))

    def __getitem__(self, key):
        return self._ptgrade_request(Op.GETITEM, key=_refs(key))

    def __len__(self) -> int:
        return self._ptgrade_request(Op.LEN)

    def __iter__(self):
        return iter(self._ptgrade_request(Op.ITER))

    def __repr__(self) -> str:
        return f"<{self._ptgrade_type} in the student's process>"

    def __reduce__(self):
        raise TypeError("a Handle names an object in the student's process; pass it to impl calls only")

    @property
    def type_name(self) -> str:
        """`module.Class` of the object in the worker (as the worker says: an observation)."""
        return self._ptgrade_type


class RemoteImplementation:
    """`impl` for graders: the student's module, one request away."""

    def __init__(self, connection: Connection, path: Path):
        self._ptgrade_connection = connection
        self._ptgrade_path = path

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ptgrade_connection.request(Op.GETATTR, target=None, name=name)

    def __repr__(self) -> str:
        return f"<implementation {problems.display(self._ptgrade_path)} in the student's process>"


class _Dispatcher:
    """How an @observation called with `impl` in the judge runs: in the worker, on the student's module."""

    @staticmethod
    def is_remote(impl) -> bool:
        return isinstance(impl, RemoteImplementation)

    @staticmethod
    def observe(impl, function, args: tuple, kwargs: dict):
        return _call(impl._ptgrade_connection, Op.OBSERVE, args, kwargs,
                     module=function.__module__, name=function.__qualname__).value


observation_mark.install(_Dispatcher())
