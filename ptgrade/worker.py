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

from ptgrade import loader, wire


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

    def resolve(self, value, depth: int = 0):
        """Replace the judge's HandleRefs in request arguments by the objects they name."""
        if isinstance(value, wire.HandleRef):
            return self.handles[value.id]
        if depth > wire.MAX_DEPTH:
            return value
        if type(value) in (list, tuple):
            return type(value)(self.resolve(v, depth + 1) for v in value)
        if type(value) is dict:
            return {k: self.resolve(v, depth + 1) for k, v in value.items()}
        return value

    def target(self, ref):
        return self.implementation.checked() if ref is None else self.handles[ref.id]

    # -- requests -----------------------------------------------------------------------------------
    def handle(self, request: dict) -> dict:
        op = request["op"]
        if op == "begin":
            _seed(request["seed"])
            return {"value": None}
        if op == "getattr":
            return {"value": getattr(self.target(request["target"]), request["name"])}
        if op == "getitem":
            return {"value": self.target(request["target"])[self.resolve(request["key"])]}
        if op == "len":
            return {"value": len(self.target(request["target"]))}
        if op == "iter":
            return {"value": list(self.target(request["target"]))}
        if op == "setattr":
            setattr(self.target(request["target"]), request["name"], self.resolve(request["value"]))
            return {"value": None}
        if op in ("call", "observe"):
            args, kwargs = self.resolve(request["args"]), self.resolve(request["kwargs"])
            if op == "call":
                function = self.target(request["target"])
            else:
                function = _observation(request["module"], request["name"])
                args = (self.implementation.checked(), *args)
            value = function(*args, **kwargs)
            # Tensors passed in come back as they are now: in-place changes and views of them are
            # replayed on the judge's copies.
            sent = wire.tensors_in((args, kwargs))
            answer = {"value": value, "args": [t.detach() for t in sent]}
            inputs = [t for t in sent if t.requires_grad]
            outputs = [t for t in wire.tensors_in(value) if t.requires_grad]
            if inputs and outputs:  # the judge may call backward through this call's graph
                answer["graph"] = self.keep((inputs, outputs))
            return answer
        if op == "backward":
            inputs, outputs = self.handles[request["graph"]]
            pairs = [(o, g) for o, g in zip(outputs, request["grad_outputs"]) if g is not None]
            import torch
            grads = torch.autograd.grad([o for o, _ in pairs], inputs, [g for _, g in pairs],
                                        retain_graph=True, allow_unused=True)
            return {"value": list(grads)}
        raise ValueError(f"unknown request {op!r}")

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


def main(argv: list[str]) -> None:
    in_fd, out_fd, path, display, threads = int(argv[0]), int(argv[1]), Path(argv[2]), argv[3], int(argv[4])
    standby = argv[5:6] == ["standby"]
    import torch
    torch.set_num_threads(threads)
    _seed(0)
    loader.DISPLAY_NAMES[str(path)] = display
    # Started (Python and torch imported): the student's time begins with their module's import.
    wire.write_frame(out_fd, wire.dump({"ok": True, "value": "booted"}))
    if standby:  # started ahead of a save: the file is imported when the judge says it is there
        try:
            if pickle.loads(wire.read_frame(in_fd, None)).get("op") != "load":
                os._exit(0)
        except wire.Closed:
            os._exit(0)
    worker = Worker(path)
    wire.write_frame(out_fd, wire.dump({"ok": True, "value": "ready"}))
    while True:
        try:
            request = pickle.loads(wire.read_frame(in_fd, None))
        except wire.Closed:
            break
        if request.get("op") == "exit":
            break
        wire.write_frame(out_fd, worker.reply(request))
    os._exit(0)  # no atexit hooks, no waiting for threads student code started

