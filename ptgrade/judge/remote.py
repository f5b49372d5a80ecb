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

import collections
import functools
import os
import pickle
import signal
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

import torch

from ptgrade import sandbox
from ptgrade.i18n import _
from ptgrade.protocol import observation as observation_mark
from ptgrade.protocol import problems, settings, wire
from ptgrade.protocol.contract import CheckTimeout, StaleHandle, WorkerProblem  # noqa: F401 - graders catch them here
from ptgrade.protocol.observation import observation  # noqa: F401 - graders import it here until they move
from ptgrade.protocol.requests import Op

OUTPUT_TAIL = 64 * 1024
BOOT_SECONDS = 180  # starting Python and importing torch, on a machine busy grading others


class StudentError(Exception):
    """An exception of student code whose class the judge does not rebuild."""


# -- exceptions from the worker ----------------------------------------------------------------------
# The student names the class of what it raised (its process writes the description), so only an explicit
# allowlist is rebuilt as itself: builtin and torch exceptions a grader may catch. Never a class that steers
# pytest or the grader (a skip, an xfail, an exit, an interrupt, an AssertionError that would read as a failed
# promise): those, and every other class, arrive as StudentError, a failure of the check that says what was raised.
_REBUILT_MODULES = ("builtins", "torch")
_NEVER = {"builtins.AssertionError", "builtins.SystemExit", "builtins.KeyboardInterrupt", "builtins.GeneratorExit",
          "builtins.BaseException", "builtins.object", "builtins.Exception", "builtins.StopIteration",
          "builtins.StopAsyncIteration"}


def _steers_pytest(cls: type) -> bool:
    unittest = sys.modules.get("unittest")
    if unittest is not None and issubclass(cls, unittest.SkipTest):
        return True
    return any(base.__module__.startswith(("_pytest", "pytest", "pluggy", "unittest")) for base in cls.__mro__)


def _class(qualified: str):
    if qualified in _NEVER:
        return None
    module_name, _, qualname = qualified.rpartition(".")
    if module_name.split(".")[0] not in _REBUILT_MODULES or module_name not in sys.modules:
        return None
    found = sys.modules[module_name]
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if not (isinstance(found, type) and issubclass(found, Exception)) or _steers_pytest(found):
        return None
    if f"{found.__module__}.{found.__qualname__}" in _NEVER or issubclass(found, (AssertionError, StopIteration)):
        return None
    return found


@functools.cache
def _remote_class(cls: type) -> type:
    return type(cls.__name__, (cls,), {"__init__": BaseException.__init__,
                                       "__str__": lambda self: self.args[0] if self.args else "",
                                       "__module__": cls.__module__})


def rebuild_error(info: dict) -> BaseException:
    """The judge's exception for a description from loader.describe_error."""
    message = str(info.get("message", ""))
    if info.get("not_started"):
        error = NotImplementedError(message)
    elif info.get("missing_name"):
        error = problems.MissingName(message)
    elif info.get("implementation"):
        error = problems.ImplementationError(message)
    else:
        error = None
        mro = info.get("mro")
        for qualified in (mro if isinstance(mro, list) else [])[:64]:
            cls = _class(str(qualified))
            if cls is not None:
                try:
                    error = _remote_class(cls)(message)
                except Exception:  # noqa: BLE001 - an exotic class: fall back below
                    error = None
                break
        error = error or StudentError(message)
    error.ptgrade = info
    return error


# -- the worker process ------------------------------------------------------------------------------
class Connection:
    """One sandboxed worker for one file; restarted (fresh state) after a timeout or a crash."""

    def __init__(self, scratch: sandbox.Scratch, impl_path: Path, display: str, threads: int,
                 cpu_seconds: int, shared: sandbox.Shared = sandbox.Shared(), launcher=None):
        self.scratch, self.impl_path, self.display = scratch, impl_path, display
        self.launcher = launcher  # a fork from a warm zygote, instead of a fresh sandboxed interpreter
        self.threads, self.cpu_seconds, self.shared = threads, cpu_seconds, shared
        self.process = None
        self.generation = 0
        self.ready = False
        self.deadline: float | None = None
        self.limit_seconds = 0.0
        self.pending_seed: int | None = None
        self.tail = collections.deque()
        self.tail_size = 0
        self.last_exit = ""

    # -- life cycle ---------------------------------------------------------------------------------
    def start(self, launched: "sandbox.Launched | None" = None) -> None:
        """Start a fresh worker, or take over one the judge launched before importing torch."""
        if launched is None and self.launcher is not None:
            launched = self.launcher()
        launched = launched or sandbox.launch_worker(self.scratch, self.impl_path.name, self.display, self.threads,
                                                     self.cpu_seconds, self.shared)
        self.process, self.to_worker, self.from_worker = launched
        self.generation += 1
        self.booted = self.ready = False
        threading.Thread(target=self._read_output, args=(self.process,), daemon=True).start()

    def _read_output(self, process) -> None:
        """Keep the last 64 KB of what the worker prints; the rest is dropped as it arrives."""
        stream = process.stdout
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            self.tail.append(chunk)
            self.tail_size += len(chunk)
            while self.tail_size - len(self.tail[0]) >= OUTPUT_TAIL:
                self.tail_size -= len(self.tail.popleft())

    def output(self) -> str:
        return b"".join(self.tail)[-OUTPUT_TAIL:].decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            wire.write_frame(self.to_worker, pickle.dumps({"op": Op.EXIT}))
        except OSError:
            pass
        try:
            self.process.wait(timeout=1)
        except Exception:  # noqa: BLE001 - still running: killed below
            pass
        self._kill()

    def _kill(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        sandbox.kill(process)
        self.last_exit = _exit_reason(process.returncode, self.cpu_seconds)
        for fd in (self.to_worker, self.from_worker):
            try:
                os.close(fd)
            except OSError:
                pass

    # -- requests -----------------------------------------------------------------------------------
    def begin_check(self, seed: int, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.limit_seconds = seconds
        self.pending_seed = seed

    def end_check(self) -> None:
        self.deadline = None

    def _exchange(self, request: dict):
        # The judge's autograd mode travels with each call of student code: `with torch.no_grad():
        # impl.model(x)` runs the student's model without autograd, as it reads. An observation sets
        # its own (it may run inside the judge's backward, where autograd is off).
        if request["op"] == "call":
            request.setdefault("grad", torch.is_grad_enabled())
        wire.write_frame(self.to_worker, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
        return self._receive()

    def _boot(self) -> None:
        """Wait for Python and torch to start in the worker; that time is not the student's, so a
        check during which the worker (re)started gets its whole limit from here."""
        deadline, self.deadline = self.deadline, time.monotonic() + BOOT_SECONDS
        try:
            self._receive()
        finally:
            self.deadline = deadline
        self.booted = True
        if self.deadline is not None:
            self.deadline = max(self.deadline, time.monotonic() + self.limit_seconds)

    def _receive(self):
        answer = wire.load(wire.read_frame(self.from_worker, self.deadline))
        if not isinstance(answer, dict) or "ok" not in answer:
            raise wire.WireError("a message that is not an answer")
        return answer

    def request(self, op: str, **fields):
        """Send one request; return the answer's decoded value, or raise what the student's code raised."""
        return self.request_raw(op, **fields)[0]

    def request_raw(self, op: str, **fields):
        """(value, the tensors passed in as they are after the call, the call's graph id or None)."""
        answer = self._request(op, **fields)
        value = wire.from_data(answer["value"], self._handle)
        graph = answer.get("graph")
        return value, answer.get("args"), graph if isinstance(graph, int) else None

    def _request(self, op: str, **fields) -> dict:
        try:
            if self.process is None:
                self.start()
            if not self.booted:
                self._boot()
            if not self.ready:
                self._receive()  # "ready": the student's module has been imported
                self.ready = True
            if self.pending_seed is not None:
                seed, self.pending_seed = self.pending_seed, None
                self._exchange({"op": Op.BEGIN, "seed": seed})
            answer = self._exchange({"op": op, **fields})
            if not answer["ok"] and not isinstance(answer.get("error"), dict):
                raise wire.WireError("a malformed error")
        except wire.Timeout:
            importing = not self.ready
            self._kill()
            raise CheckTimeout((_("timed out after {seconds} s and had to be stopped while importing your module (an "
                                  "infinite loop at module level?)") if importing else
                                _("timed out after {seconds} s and had to be stopped (an infinite loop, or far too "
                                  "much work for this check?)")).format(seconds=f"{self.limit_seconds:g}")) from None
        except wire.Closed:
            importing = not self.ready
            try:  # it closed its end: let it finish dying, so its exit status is its own, not our kill
                self.process.wait(timeout=5)
            except Exception:  # noqa: BLE001 - still alive (a child holds the pipe): killed below
                pass
            self._kill()
            raise WorkerProblem((_("your code ended the grading process while importing your module ({why}).")
                                 if importing else _("your code ended the grading process ({why}).")).format(
                why=self.last_exit)) from None
        except (wire.WireError, OSError) as error:
            self._kill()
            raise WorkerProblem(_("your code's process sent something the grader cannot read ({error}).").format(
                error=error)) from None
        except BaseException:  # pytest-timeout or an interrupt mid-request: the channel is out of step
            self._kill()
            raise
        # Outside the transport's handlers: what the student's code raised is raised here as it was.
        return self._check(answer)

    def _check(self, answer: dict) -> dict:
        if answer["ok"]:
            return answer
        info = answer["error"]
        if info.get("memory"):
            raise WorkerProblem(_("your code used more than {limit} GiB of memory ({error}).").format(
                limit=f"{sandbox.memory_limit_gib():g}", error=str(info.get("summary", ""))[:200]))
        raise rebuild_error(info)

    def _handle(self, key: int, type_name: str, is_callable: bool) -> "Handle":
        return Handle(self, self.generation, key, type_name, is_callable)


def _exit_reason(code: int | None, cpu_seconds: int) -> str:
    if code is None:
        return _("still running")
    if code < 0:
        signal_number = -code
        if signal_number == signal.SIGXCPU:
            return _("it used more than {seconds} s of CPU time").format(seconds=cpu_seconds)
        if signal_number == signal.SIGXFSZ:
            return _("it wrote a file larger than {size} MB").format(size=settings.current().file_mb)
        name = signal.Signals(signal_number).name if signal_number in signal.valid_signals() else str(signal_number)
        return _("os._exit, a crash, or signal {name}").format(name=name)
    return _("os._exit({code}), sys.exit or a crash").format(code=code)


# -- what graders hold ---------------------------------------------------------------------------
def _refs(value, depth: int = 0):
    """Request arguments with the judge's Handles replaced by references the worker resolves."""
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
    if depth < wire.MAX_DEPTH and type(value) in (list, tuple):
        return type(value)(_refs(v, depth + 1) for v in value)
    if depth < wire.MAX_DEPTH and type(value) is dict:
        return {k: _refs(v, depth + 1) for k, v in value.items()}
    return value


class Called(NamedTuple):
    """One call of student code: what it returned, and the arguments as the student's code left them.
    `args` and `kwargs` are the judge's own copies of the worker's tensors after the call (an in-place change
    shows there; a returned view shares their storage); the tensors the grader passed are never written."""
    value: object
    args: tuple
    kwargs: dict


def _after(structure, returned: list, depth: int = 0):
    """`structure` with its tensors, in `wire.tensors_in` order, replaced by the worker's after the call."""
    if isinstance(structure, torch.Tensor):
        return returned.pop(0)
    if depth < wire.MAX_DEPTH and type(structure) in (list, tuple):
        return type(structure)(_after(v, returned, depth + 1) for v in structure)
    if depth < wire.MAX_DEPTH and type(structure) is dict:
        return {k: _after(v, returned, depth + 1) for k, v in structure.items()}
    return structure


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


def _swap(value, swap, depth: int = 0):
    if isinstance(value, torch.Tensor):
        return swap.get(id(value), value)
    if depth < wire.MAX_DEPTH and type(value) in (list, tuple):
        return type(value)(_swap(v, swap, depth + 1) for v in value)
    if depth < wire.MAX_DEPTH and type(value) is dict:
        return {k: _swap(v, swap, depth + 1) for k, v in value.items()}
    return value


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
