"""Judges forked from one warm interpreter, for `verify`: the kit's own files, every item, one machine.

A judge is `python -m pytest ...` (contract.judge_command), and starting one costs seconds of CPU for
torch, torchvision and pytest: the same seconds again for each of the kit's items, on a machine where
`verify` is bound by CPU. A server imports them once; each judge is a fork of it, given the arguments,
environment, folder, output and channel a fresh interpreter would get, in a session of its own (the
runner kills it as one). A student's `check` keeps the fresh interpreter, whose torch import overlaps
the booting of the student's worker.

The server imports only the standard library, the fork server (ptgrade/protocol/forkserver.py, the zygote's too)
and the libraries below, never the rest of ptgrade: a judge must not inherit engine state made at import (its
language, its channel) from the server.
"""
from __future__ import annotations

import gc
import importlib
import os
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ptgrade.protocol import forkserver

# What every grader's judge imports, and what is slow to: torchvision brings torch._dynamo with it.
PRELOAD = ("torch", "torchvision", "pytest", "pytest_timeout", "_pytest.python", "_pytest.fixtures")
BOOT = "import sys; from ptgrade.host.warm_judges import serve; serve(int(sys.argv[1]))"


# Loaded before any fork: a forked child only calls it.
_KEEPER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ptgrade-server-parent")


def own_session_dying_with_parent() -> None:
    """preexec_fn of a judge or a server: a session of its own (the runner kills it as one), and death with
    the runner."""
    os.setsid()
    forkserver.die_with_parent()


class ServerGone(forkserver.Gone):
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
        self.server = forkserver.Client(ours)  # the first judge waits for the imports, however long

    def _exchange(self, message: dict, fds: list[int] = ()) -> dict:
        try:
            return self.server.request(message, fds)
        except forkserver.Gone as error:
            raise ServerGone(f"the warm judge server is gone ({error})") from None

    def spawn(self, command: list[str], env: dict[str, str], cwd: Path, output_fd: int,
              named_fds: dict[str, int]) -> Judge:
        """A judge for `command` (`python -m pytest ...`); `named_fds` are the descriptors it is passed,
        by the environment variable that names them."""
        if command[1:3] != ["-m", "pytest"]:
            raise ValueError(f"not a judge's command: {command[:3]}")
        names = list(named_fds)
        answer = self._exchange({"op": forkserver.FORK, "args": command[3:], "env": env, "cwd": str(cwd),
                                 "names": names}, [output_fd, *(named_fds[name] for name in names)])
        return Judge(self, int(answer["pid"]))

    def status(self, pid: int, end: bool) -> int | None:
        answer = self._exchange({"op": forkserver.END if end else forkserver.POLL, "pid": pid})
        return answer.get("status")

    def close(self) -> None:
        self.server.close()  # the server reads end-of-file and exits
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
    forkserver.serve(control, _judge, accepts=lambda request, fds: len(fds) == 1 + len(request.get("names", ())))


def _judge(request: dict, fds: list[int]) -> None:
    """In the fork: become what `python -m pytest ARGS` started by the runner would be, and run it."""
    code = 1
    try:
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

