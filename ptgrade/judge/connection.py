"""One sandboxed worker for one file, seen from the judge: its life cycle (start, or take over one launched early;
restart after a timeout or a crash; stop) and its requests (each under the check's deadline; what the student's code
raised comes back rebuilt, what breaks the channel becomes a WorkerProblem in the student's words)."""
from __future__ import annotations

import collections
import os
import pickle
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from ptgrade import sandbox
from ptgrade.i18n import _
from ptgrade.judge.hangs import IMPORTING, Hangs
from ptgrade.judge.rebuilt import rebuild_error
from ptgrade.protocol import settings, wire
from ptgrade.protocol.contract import CheckTimeout, WorkerProblem
from ptgrade.protocol.requests import Op

if TYPE_CHECKING:
    from ptgrade.judge.remote import Handle

OUTPUT_TAIL = 64 * 1024
BOOT_SECONDS = 180  # starting Python and importing torch, on a machine busy grading others


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
        self.import_seconds = 0.0  # importing the student's module has its own limit (its imports may be slow)
        # How much of its limit the check has used so far: from its start (or the end of a boot or import, which
        # are not the check's) to the last answer. `verify --record-seconds` keeps the reference's (limits.py).
        self.clock_start = 0.0
        self.used_seconds = 0.0
        self.pending_seed: int | None = None
        self.hangs = Hangs()  # what timed out in an earlier check of this file is not waited for again
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
    def begin_check(self, seed: int, seconds: float, import_seconds: float | None = None) -> None:
        self.deadline = time.monotonic() + seconds
        self.limit_seconds = seconds
        self.import_seconds = max(seconds, import_seconds or 0.0)
        self.pending_seed = seed
        self.clock_start, self.used_seconds = time.monotonic(), 0.0

    def end_check(self) -> None:
        self.deadline = None

    def _exchange(self, request: dict):
        # The judge's autograd mode travels with each call of student code: `with torch.no_grad():
        # impl.model(x)` runs the student's model without autograd, as it reads. An observation sets
        # its own (it may run inside the judge's backward, where autograd is off).
        if request["op"] == Op.CALL:
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
        self.clock_start = max(self.clock_start, time.monotonic())

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
        subject = self.hangs.subject(op, fields, self.generation)
        self.hangs.refuse(subject, importing=not self.ready)
        try:
            answer = self._request(op, **fields)
        except CheckTimeout as timeout:
            self.hangs.remember(timeout, subject)
            raise
        value = wire.from_data(answer["value"], self._handle)
        if op == Op.GETATTR and fields.get("target") is None and type(value).__name__ == "Handle":
            self.hangs.named(self.generation, value._ptgrade_key, fields["name"])
        graph = answer.get("graph")
        return value, answer.get("args"), graph if isinstance(graph, int) else None

    def _request(self, op: str, **fields) -> dict:
        try:
            if self.process is None:
                self.start()
            if not self.booted:
                self._boot()
            if not self.ready:  # "ready": the student's module has been imported, under the import limit
                deadline = self.deadline
                if deadline is not None:
                    self.deadline = max(deadline, time.monotonic() + self.import_seconds)
                self._receive()
                self.ready = True
                if deadline is not None:  # the check's own limit starts after the import
                    self.deadline = max(deadline, time.monotonic() + self.limit_seconds)
                self.clock_start = max(self.clock_start, time.monotonic())
            if self.pending_seed is not None:
                seed, self.pending_seed = self.pending_seed, None
                self._exchange({"op": Op.BEGIN, "seed": seed})
            answer = self._exchange({"op": op, **fields})
            self.used_seconds = max(self.used_seconds, time.monotonic() - self.clock_start)
            if not answer["ok"] and not isinstance(answer.get("error"), dict):
                raise wire.WireError("a malformed error")
        except wire.Timeout:
            importing = not self.ready
            seconds = self.import_seconds if importing else self.limit_seconds
            self._kill()
            raise CheckTimeout((_("timed out after {seconds} s and had to be stopped while importing your module (an "
                                  "infinite loop at module level?)") if importing else
                                _("timed out after {seconds} s and had to be stopped (an infinite loop, or far too "
                                  "much work for this check?)")).format(seconds=f"{seconds:g}"),
                               subject=IMPORTING if importing else None, seconds=seconds) from None
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

    def _handle(self, key: int, type_name: str, is_callable: bool) -> Handle:
        from ptgrade.judge.remote import Handle  # the proxy module builds on this one
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
