"""Judges forked from one warm interpreter, for `verify`: the kit's own files, every item, one machine.

A judge is `python -m pytest ...` (contract.judge_command), and starting one costs seconds of CPU for
torch, torchvision and pytest: the same seconds again for each of the kit's items, on a machine where
`verify` is bound by CPU. A server imports them once; each judge is a fork of it, given the arguments,
environment, folder, output and channel a fresh interpreter would get, in a session of its own (the
runner kills it as one). A student's `check` keeps the fresh interpreter, whose torch import overlaps
the booting of the student's worker.

The server imports only the standard library and the libraries below, never the rest of ptgrade: a
judge must not inherit engine state made at import (its language, its channel) from the server.
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# What every grader's judge imports, and what is slow to: torchvision brings torch._dynamo with it.
PRELOAD = ("torch", "torchvision", "pytest", "pytest_timeout", "_pytest.python", "_pytest.fixtures")
BOOT = "import sys; from ptgrade.host.warm_judges import serve; serve(int(sys.argv[1]))"


def _prctl():
    if sys.platform != "linux":
        return None
    import ctypes
    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()
# Loaded before any fork: a forked child only calls it.
_KEEPER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ptgrade-server-parent")
PR_SET_PDEATHSIG = 1


def dies_with_parent() -> None:
    """This process is killed when the one that started it dies (a runner killed with SIGKILL takes its
    judge, and the judge its workers, with it)."""
    if _PRCTL is not None:
        import signal
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def own_session_dying_with_parent() -> None:
    """preexec_fn of a judge or a server: a session of its own (the runner kills it as one), and death with
    the runner."""
    os.setsid()
    dies_with_parent()


class ServerGone(OSError):
    """The warm server is not there (it failed to start or died): start the judge the usual way."""


class Server:
    """The runner's end of one warm server. Thread-safe: `verify` starts judges from several threads."""

    def __init__(self, root: Path, env: dict[str, str]):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            # Started from a thread that lives as long as this process: the parent-death signal follows the
            # thread that forked, and a `verify` pool's thread ends before the server should.
            self.process = _KEEPER.submit(
                subprocess.Popen, [sys.executable, "-c", BOOT, str(theirs.fileno())], env=env, cwd=root,
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, preexec_fn=own_session_dying_with_parent).result()
        finally:
            theirs.close()
        self.control, self.lock, self.ready = ours, threading.Lock(), False

    def _exchange(self, message: dict, fds: list[int] = ()) -> dict:
        with self.lock:
            try:
                if not self.ready:  # the first judge waits for the imports
                    self._answer()
                    self.ready = True
                socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
                return self._answer()
            except (OSError, ValueError) as error:
                raise ServerGone(f"the warm judge server is gone ({error})") from None

    def _answer(self) -> dict:
        payload = self.control.recv(65536)
        if not payload:
            raise ServerGone("the warm judge server ended")
        return json.loads(payload)

    def spawn(self, command: list[str], env: dict[str, str], cwd: Path, output_fd: int,
              named_fds: dict[str, int]) -> Judge:
        """A judge for `command` (`python -m pytest ...`); `named_fds` are the descriptors it is passed,
        by the environment variable that names them."""
        if command[1:3] != ["-m", "pytest"]:
            raise ValueError(f"not a judge's command: {command[:3]}")
        names = list(named_fds)
        answer = self._exchange({"op": "fork", "args": command[3:], "env": env, "cwd": str(cwd), "names": names},
                                [output_fd, *(named_fds[name] for name in names)])
        return Judge(self, int(answer["pid"]))

    def status(self, pid: int, end: bool) -> int | None:
        answer = self._exchange({"op": "end" if end else "poll", "pid": pid})
        return answer.get("status")

    def close(self) -> None:
        self.control.close()  # the server reads end-of-file and exits
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Judge:
    """A forked judge, as much of subprocess.Popen as the runner uses: pid, poll, wait, returncode."""

    def __init__(self, server: Server, pid: int):
        self.server, self.pid, self.returncode = server, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self.server.status(self.pid, end=False)
            except ServerGone:
                self.returncode = -9  # the server took its children with it
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            try:
                self.returncode = self.server.status(self.pid, end=True)
            except ServerGone:
                self.returncode = -9
        return self.returncode


_servers: dict[Path, Server] = {}
_servers_lock = threading.Lock()


def server(root: Path, env: dict[str, str]) -> Server:
    """The process's warm server for the kit at `root`, started on first use, kept for later `verify` runs
    in the same process (the kit's tests run many) and ended when the process exits. A server that died is
    not started again: the process's judges start the usual way from then on."""
    with _servers_lock:
        found = _servers.get(root)
        if found is None:
            found = _servers[root] = Server(root, env)
        elif found.process.poll() is not None:
            raise ServerGone("the warm judge server ended")
        return found


def close(root: Path) -> None:
    """End the warm server of the kit at `root`, if there is one (a later `verify` starts another)."""
    with _servers_lock:
        found = _servers.pop(root, None)
    if found is not None:
        found.close()


# -- the server ----------------------------------------------------------------------------------------
def serve(control_fd: int) -> None:
    control = socket.socket(fileno=control_fd)  # its end-of-file, when the runner exits, ends the server
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional library: the judge that needs it imports it
            pass
    gc.freeze()  # what is imported now stays shared with every fork, not copied by the collector's writes
    control.send(b'{"ready": true}')
    exited: dict[int, int] = {}
    while True:
        try:
            payload, fds, _flags, _address = socket.recv_fds(control, 1 << 20, 8)
            if not payload:
                break
            request = json.loads(payload)
        except (OSError, ValueError):
            break
        if request.get("op") == "fork":
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _judge(control, request, fds)
            for fd in fds:
                os.close(fd)
            answer = {"pid": pid}
        elif request.get("op") in ("poll", "end"):
            answer = {"status": _reap(int(request["pid"]), request["op"] == "end", exited)}
        else:
            break
        control.send(json.dumps(answer).encode())
    os._exit(0)


def _reap(pid: int, end: bool, exited: dict[int, int]) -> int | None:
    """The judge's exit status (-signal or code, as subprocess gives it), or None while it runs; `end`
    kills its session first, as the runner does to a judge it is done with."""
    if pid in exited:
        return exited.pop(pid) if end else exited[pid]
    if end:
        import signal
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


def _judge(control: socket.socket, request: dict, fds: list[int]) -> None:
    """In the fork: become what `python -m pytest ARGS` started by the runner would be, and run it."""
    code = 1
    try:
        control.close()
        own_session_dying_with_parent()
        output, *passed = fds
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        env = dict(request["env"])
        env.update({name: str(fd) for name, fd in zip(request["names"], passed)})
        os.environ.clear()
        os.environ.update(env)
        os.chdir(request["cwd"])
        sys.argv = ["pytest", *request["args"]]
        sys.path.insert(0, request["cwd"])  # what `python -m` puts first
        import runpy
        try:
            runpy.run_module("pytest", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
            if not isinstance(exit.code, (int, type(None))):
                print(exit.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - reported on the judge's output, as an interpreter would
        import traceback
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)

