"""One fork server, used twice: the zygote (a sandboxed worker with torch imported that forks a fresh worker per
student file, ptgrade/sandbox/zygote.py and ptgrade/worker/main.py) and the warm judge server (`verify` forks each
item's judge from it, ptgrade/host/warm_judges.py).

The parent and the server share a SEQPACKET socket: the server says it is ready once, then answers each request
with one JSON message. A request is JSON with descriptors passed beside it:
  {"op": "fork", ...}   a child runs `fork(request, fds)`, which never returns; answer {"pid": PID}
  {"op": "poll", "pid"} {"status": None} while the child runs, else its exit status as subprocess gives it
  {"op": "end", "pid"}  the child's session killed and reaped, then `after_end()`; answer {"status": STATUS}
Anything else, or the parent's end-of-file, ends the server. A child closes its copy of the socket first: only
the parent can ask the server for anything.

Standard library only: both sides load it before torch.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable

FORK, POLL, END = "fork", "poll", "end"
MAX_MESSAGE = 1 << 20  # a judge's request carries its environment
MAX_FDS = 8


def _prctl():
    if sys.platform != "linux":
        return None
    import ctypes
    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()  # loaded now: a child between fork and exec only calls it
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4


def die_with_parent() -> None:
    """This process is killed when the one that started it dies (a runner killed with SIGKILL takes its judge,
    and the judge its workers, with it)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def not_dumpable() -> None:
    """Children cannot read or write this process's memory, nor trace it."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_DUMPABLE, 0, 0, 0, 0)


class Gone(OSError):
    """The fork server did not answer: it ended, or it was stopped or wedged past the wait allowed."""


class Client:
    """The parent's end of a fork server. Thread-safe: one request and its answer at a time.

    `boot_seconds` bounds the wait for the server's first word (its imports), `answer_seconds` each later
    answer; None waits as long as it takes. A server that misses its time is closed by the caller's `on_gone`,
    so nobody waits on it twice."""

    def __init__(self, control: socket.socket, boot_seconds: float | None = None,
                 answer_seconds: float | None = None):
        self.control, self.lock, self.ready = control, threading.Lock(), False
        self.boot_seconds, self.answer_seconds = boot_seconds, answer_seconds

    def request(self, message: dict, fds: list[int] | tuple[int, ...] = ()) -> dict:
        with self.lock:
            if not self.ready:
                self._answer(self.boot_seconds)
                self.ready = True
            try:
                socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
            except OSError as error:
                raise Gone(f"the fork server is gone ({error})") from None
            return self._answer(self.answer_seconds)

    def wait_ready(self) -> None:
        with self.lock:
            if not self.ready:
                self._answer(self.boot_seconds)
                self.ready = True

    def _answer(self, seconds: float | None) -> dict:
        self.control.settimeout(seconds)
        try:
            payload = self.control.recv(MAX_MESSAGE)
        except OSError:  # socket.timeout included
            raise Gone("the fork server did not answer in time") from None
        if not payload:
            raise Gone("the fork server ended")
        try:
            return json.loads(payload)
        except ValueError:
            raise Gone("the fork server answered nonsense") from None

    def close(self) -> None:
        self.control.close()  # the server reads end-of-file and exits


def serve(control: socket.socket, fork: Callable[[dict, list[int]], None],
          accepts: Callable[[dict, list[int]], bool] = lambda request, fds: True,
          after_end: Callable[[], None] = lambda: None) -> None:
    """Answer the parent until it goes (module docstring), then exit without the interpreter's teardown.
    `accepts` refuses a fork request that is not well formed (the server then ends, as for an unknown op)."""
    _send(control, {"ready": True})
    exited: dict[int, int] = {}
    while True:
        try:
            payload, fds, _flags, _address = socket.recv_fds(control, MAX_MESSAGE, MAX_FDS)
            if not payload:
                break
            request = json.loads(payload)
        except (OSError, ValueError):
            break
        op = request.get("op") if isinstance(request, dict) else None
        if op == FORK and accepts(request, fds):
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    control.close()
                    fork(request, fds)
                finally:
                    os._exit(1)
            for fd in fds:
                os.close(fd)
            answer = {"pid": pid}
        elif op in (POLL, END) and isinstance(request.get("pid"), int) and not fds:
            answer = {"status": reap(request["pid"], op == END, exited)}
            if op == END:
                after_end()
        else:
            for fd in fds:
                os.close(fd)
            break
        _send(control, answer)
    os._exit(0)


def reap(pid: int, end: bool, exited: dict[int, int]) -> int | None:
    """A child's exit status (-signal or code, as subprocess gives it), or None while it runs; `end` kills its
    session first. `exited` keeps what a poll reaped until the end asks for it."""
    if pid in exited:
        return exited.pop(pid) if end else exited[pid]
    if end:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    try:
        done, status = os.waitpid(pid, 0 if end else os.WNOHANG)
    except ChildProcessError:
        return -9
    if done == 0:
        return None
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    if not end:
        exited[pid] = code
    return code


def _send(control: socket.socket, message: dict) -> None:
    control.send(json.dumps(message).encode())
