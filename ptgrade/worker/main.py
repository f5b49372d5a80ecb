"""The student's process: imports the file under test and answers the judge's requests with data.

Started sandboxed by the judge (ptgrade/sandbox.py) as
    python -I -c "..." KIT_COPY IN_FD OUT_FD FILE DISPLAY_NAME THREADS
It calls the student's functions, and the kit's observation functions (graders' functions marked
`@observation`, which run the student's code on a live object and report what they saw), on the
inputs the judge sends. Nothing here decides a grade: everything it sends is an observation, and
the judge never trusts an observation more than it would trust the student saying it.
"""
from __future__ import annotations

import importlib
import os
import pickle
import random
import sys
from pathlib import Path

from ptgrade.protocol import forkserver, wire
from ptgrade.protocol.observation import may_run_from
from ptgrade.protocol.requests import Op
from ptgrade.worker import loader


class Worker:
    def __init__(self, path: Path):
        self.path = path
        self.handles: dict[int, object] = {}
        self.implementation = loader.load(path)

    # -- handles ------------------------------------------------------------------------------------
    def keep(self, value) -> int:
        key = len(self.handles) + 1
        self.handles[key] = value
        return key

    def resolve(self, value):
        """Replace the judge's HandleRefs in request arguments by the objects they name."""
        return wire.rebuild(value, lambda v: self.handles[v.id] if isinstance(v, wire.HandleRef) else v)

    def target(self, ref):
        return self.implementation.checked() if ref is None else self.handles[ref.id]

    # -- requests -----------------------------------------------------------------------------------
    def handle(self, request: dict) -> dict:
        answer = self._ANSWERS.get(request["op"])
        if answer is None:
            raise ValueError(f"unknown request {request['op']!r}")
        return answer(self, request)

    def on_begin(self, request: dict) -> dict:
        _seed(request["seed"])
        return {"value": None}

    def on_getattr(self, request: dict) -> dict:
        return {"value": getattr(self.target(request["target"]), request["name"])}

    def on_getitem(self, request: dict) -> dict:
        return {"value": self.target(request["target"])[self.resolve(request["key"])]}

    def on_len(self, request: dict) -> dict:
        return {"value": len(self.target(request["target"]))}

    def on_iter(self, request: dict) -> dict:
        return {"value": list(self.target(request["target"]))}

    def on_setattr(self, request: dict) -> dict:
        setattr(self.target(request["target"]), request["name"], self.resolve(request["value"]))
        return {"value": None}

    def on_call(self, request: dict) -> dict:
        return self._called(self.target(request["target"]), *self._arguments(request))

    def on_observe(self, request: dict) -> dict:
        args, kwargs = self._arguments(request)
        function = _observation(request["module"], request["name"])
        return self._called(function, (self.implementation.checked(), *args), kwargs)

    def _arguments(self, request: dict) -> tuple[tuple, dict]:
        return self.resolve(request["args"]), self.resolve(request["kwargs"])

    def _called(self, function, args: tuple, kwargs: dict) -> dict:
        value = function(*args, **kwargs)
        # Tensors passed in come back as the call left them (the judge compares, never writes them back).
        sent = wire.tensors_in((args, kwargs))
        answer = {"value": value, "args": [t.detach() for t in sent]}
        inputs = [t for t in sent if t.requires_grad]
        outputs = [t for t in wire.tensors_in(value) if t.requires_grad]
        if inputs and outputs:  # the judge may call backward through this call's graph
            answer["graph"] = self.keep((inputs, outputs))
        return answer

    def on_backward(self, request: dict) -> dict:
        inputs, outputs = self.handles[request["graph"]]
        pairs = [(o, g) for o, g in zip(outputs, request["grad_outputs"]) if g is not None]
        import torch
        grads = torch.autograd.grad([o for o, _ in pairs], inputs, [g for _, g in pairs],
                                    retain_graph=True, allow_unused=True)
        return {"value": list(grads)}

    _ANSWERS = {Op.BEGIN: on_begin, Op.GETATTR: on_getattr, Op.GETITEM: on_getitem, Op.LEN: on_len, Op.ITER: on_iter,
                Op.SETATTR: on_setattr, Op.CALL: on_call, Op.OBSERVE: on_observe, Op.BACKWARD: on_backward}

    def reply(self, request: dict) -> bytes:
        import torch
        try:
            with torch.set_grad_enabled(bool(request.get("grad", True))):
                answer = self.handle(request)
            answer["value"] = wire.to_data(answer["value"], self.keep)
            return wire.dump({"ok": True, **answer})
        except BaseException as error:  # noqa: B902 - whatever student code raises is reported
            return wire.dump({"ok": False, "error": loader.describe_error(error, self.path)})


def _observation(module: str, name: str):
    if not may_run_from(module):  # only the graders' observations: a check module is the judge's alone
        raise ValueError(f"{module} holds no observations")
    function = importlib.import_module(module)
    for part in name.split("."):
        function = getattr(function, part)
    inner = getattr(function, "__ptgrade_observation__", None)
    if inner is None:
        raise ValueError(f"{module}.{name} is not an observation")
    return inner


def _seed(seed: int) -> None:
    random.seed(seed)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed)
    import torch
    torch.manual_seed(seed)


def _warm_torch() -> None:
    """Load what torch imports on first use rather than at `import torch`: its Python meta kernels (and with
    them torch._refs, torch._decomp and torch._dynamo, seconds of imports). A grader that builds a tensor on the
    meta device would otherwise pay for them inside the student's time, on every fork."""
    import torch
    torch.eye(2, device="meta")


def main(argv: list[str]) -> None:
    if argv[0] == "zygote":
        return zygote(argv[1:])
    in_fd, out_fd, path, display, threads = int(argv[0]), int(argv[1]), Path(argv[2]), argv[3], int(argv[4])
    standby = argv[5:6] == ["standby"]
    import torch
    torch.set_num_threads(threads)
    _warm_torch()  # as the zygote does: a fresh worker's checks then take what a fork's take (course/limits.py)
    _preload(argv[6] if len(argv) > 6 else "")
    serve(in_fd, out_fd, path, display, standby)


def _preload(modules: str) -> None:
    """Import the item's grader before the student's file, as the zygote does: what its observations take from
    torch at import (graders/support/pristine.py) is taken before any student code can replace it."""
    for module in filter(None, modules.split(",")):
        try:
            importlib.import_module(module)
        except BaseException:  # noqa: B902 - the observation that needs it imports it again and reports why
            pass


def serve(in_fd: int, out_fd: int, path: Path, display: str, standby: bool = False) -> None:
    """Be the worker for `path`: say "booted", import it, say "ready", answer requests until told to exit."""
    loads = pickle.loads  # taken before the student's file runs (it could replace pickle.loads to read requests)
    _seed(0)
    loader.DISPLAY_NAMES[str(path)] = display
    # Started (Python and torch imported): the student's time begins with their module's import.
    wire.write_frame(out_fd, wire.dump({"ok": True, "value": "booted"}))
    if standby:  # started ahead of a save: the file is imported when the judge says it is there
        try:
            if loads(wire.read_frame(in_fd, None)).get("op") != Op.LOAD:
                os._exit(0)
        except wire.Closed:
            os._exit(0)
    worker = Worker(path)
    wire.write_frame(out_fd, wire.dump({"ok": True, "value": "ready"}))
    while True:
        try:
            request = loads(wire.read_frame(in_fd, None))
        except wire.Closed:
            break
        if request.get("op") == Op.EXIT:
            break
        wire.write_frame(out_fd, worker.reply(request))
    os._exit(0)  # no atexit hooks, no waiting for threads student code started



# -- the zygote: one warm process that forks a fresh worker per file ---------------------------------
# `ptgrade verify` and `ptgrade grade` judge many files of one item in one judge. Starting Python and
# torch (and the item's libraries) once, then forking, makes each further file cost a fork, not an
# interpreter. The zygote never imports a graded file: only its children do, one at a time, and
# between two children everything the first left behind (processes, files) is removed.
def zygote(argv: list[str]) -> None:
    import socket
    control = socket.socket(fileno=int(argv[0]))
    threads, preload, clean_dirs, own_namespace = int(argv[1]), argv[2], argv[3], argv[4] == "namespace"
    import torch
    torch.set_num_threads(threads)
    _warm_torch()
    _preload(preload)  # the item's grader: its libraries (transformers, diffusers...) are then imported once
    forkserver.not_dumpable()  # children cannot read or write the zygote's memory, nor trace it

    def accepts(request: dict, fds: list[int]) -> bool:
        return len(fds) == 3 and isinstance(request.get("path"), str) and isinstance(request.get("display"), str)

    def after_end() -> None:  # the next child finds nothing the last one left
        _remove_leftovers(own_namespace)
        _wipe([d for d in clean_dirs.split(os.pathsep) if d])

    forkserver.serve(control, _child, accepts, after_end)


def _child(request: dict, fds: list[int]) -> None:
    os.setsid()
    forkserver.die_with_parent()
    in_fd, out_fd, output_fd = fds
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    serve(in_fd, out_fd, Path(request["path"]), request["display"])


def _remove_leftovers(own_namespace: bool) -> None:
    """Kill all an ended child started and remove what outlives a process."""
    if own_namespace:  # in the sandbox's pid namespace every other process is the child's leftover
        _kill_all_but_us()
    _remove_ipc_objects()
    while True:  # reap whatever was re-parented to us
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break


def _kill_all_but_us() -> None:
    import signal
    import time
    keep = {1, os.getpid()}
    for attempt in range(300):  # a process may fork while we look: look again until nothing is left
        found = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in keep]
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if attempt >= 5:
            # A killed orphan stays listed (a zombie) until the namespace's init reaps it, which on a busy
            # machine can take a while: the next student must not find it. At most about 3 s in all.
            time.sleep(0.01)


def _remove_ipc_objects() -> None:
    """System V shared memory, queues and semaphores outlive their process: remove the child's."""
    import ctypes
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return
    ipc_rmid = 0
    for kind, remove in (("shm", lambda i: libc.shmctl(i, ipc_rmid, None)),
                         ("msg", lambda i: libc.msgctl(i, ipc_rmid, None)),
                         ("sem", lambda i: libc.semctl(i, 0, ipc_rmid))):
        try:
            lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 1 and fields[1].isdigit():
                remove(int(fields[1]))


def _wipe(folders: list[str]) -> None:
    """Empty the folders a child could write, never following a link it left and never entering a mount
    (in the sandbox's /tmp the kit's own folders are mounted: they are not the child's to lose)."""
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            _remove(entry.path)


def _remove(path: str) -> None:
    try:
        if os.path.ismount(path):
            return
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            for entry in list(os.scandir(path)):
                _remove(entry.path)
            os.rmdir(path)
        else:
            os.unlink(path)
    except OSError:
        pass
