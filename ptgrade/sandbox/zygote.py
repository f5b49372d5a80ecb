"""The zygote: one sandboxed process with Python, torch and the item's observations imported, forking a fresh
worker for each file it is given."""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from ptgrade.protocol import forkserver, settings
from ptgrade.sandbox.launch import Launched, environment, kill, start
from ptgrade.sandbox.machine import bwrap
from ptgrade.sandbox.scratch import Scratch, Shared, _read_only, remove


class ForkedWorker:
    """A worker forked by a Zygote: what the judge's Connection needs of a process (its output, kill,
    wait, returncode), through the zygote that is its parent."""
    forked = True

    def __init__(self, zygote: "Zygote", pid: int, output_fd: int):
        self.zygote, self.child_pid, self.returncode = zygote, pid, None
        self.pid = None  # never a host pid: a forked worker is killed through its zygote
        self.stdout = os.fdopen(output_fd, "rb", buffering=0)

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            if timeout is not None:  # the zygote only reaps a child it is told to end
                raise subprocess.TimeoutExpired("worker", timeout)
            self.kill()
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            self.returncode = self.zygote.end(self.child_pid)


ZYGOTE_BOOT_SECONDS = 180   # Python, torch and the item's libraries, on a machine busy grading others
ZYGOTE_ANSWER_SECONDS = 30  # a fork, or ending a child: killing what it left and emptying its folders


class Zygote:
    """One sandboxed process with Python, torch and the item's grader imported, forking a fresh worker
    for each file it is given (ptgrade/worker/main.py: zygote). Files are copied in only when their turn
    comes, and each child's leftovers (processes, files) are removed before the next one starts."""

    def __init__(self, scratch: Scratch, threads: int, cpu_seconds: int, shared: Shared = Shared(),
                 preload: tuple[str, ...] = ()):
        import socket

        from ptgrade.protocol.contract import WORKER_BOOT
        self.scratch, self.count, self.preload = scratch, 0, tuple(preload)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # What a child may write and the next could read; the judge empties its own shared folders.
        clean = [scratch.work, scratch.home, scratch.tmp] + ([Path("/tmp"), Path("/dev/shm")] if bwrap() else [])
        argv = [sys.executable, "-I", "-c", WORKER_BOOT, str(scratch.kit), "zygote", str(theirs.fileno()),
                str(threads), ",".join(preload), os.pathsep.join(map(str, clean)),
                "namespace" if bwrap() else "shared"]
        try:
            self.process = start(scratch, argv, environment(scratch, {"PTGRADE_THREADS": str(threads)}),
                                 (theirs.fileno(),), cpu_seconds, shared)
        finally:
            theirs.close()
        self.server = forkserver.Client(ours, ZYGOTE_BOOT_SECONDS, ZYGOTE_ANSWER_SECONDS)
        self.folders: dict[int, Path] = {}  # each child's copy of its file, removed when it ends
        threading.Thread(target=_drain, args=(self.process.stdout,), daemon=True).start()

    def _request(self, message: dict, fds: list[int] = ()) -> dict:
        """The zygote's answer in time. A child may stop the zygote (SIGSTOP) or wedge it: one that does not answer
        in time is killed, so the judge never waits on it and a new one takes its place."""
        try:
            return self.server.request(message, fds)
        except forkserver.Gone:
            self.close()
            raise

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, impl_path: Path, display: str) -> Launched:
        """A fresh worker for a copy of `impl_path` (the copy made now, in a folder of its own)."""
        try:
            self.server.wait_ready()
        except forkserver.Gone:
            self.close()
            raise
        self.count += 1
        folder = self.scratch.src / secrets.token_hex(8)  # not guessable, never reused
        os.chmod(self.scratch.src, 0o755)
        folder.mkdir()
        if impl_path.is_file():
            shutil.copyfile(impl_path, folder / impl_path.name)
        _read_only(self.scratch.src)
        pipes = [os.pipe() for _pipe in range(3)]  # requests, answers, output
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        try:
            pid = self._request({"op": forkserver.FORK, "path": str(folder / impl_path.name), "display": display},
                                theirs)["pid"]
        except BaseException:
            for fd in (pipes[0][1], pipes[1][0], pipes[2][0]):
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        self.folders[pid] = folder
        return Launched(ForkedWorker(self, pid, pipes[2][0]), pipes[0][1], pipes[1][0])

    def end(self, pid: int) -> int:
        """Kill a child and all it left behind; its exit status."""
        try:
            return int(self._request({"op": forkserver.END, "pid": pid})["status"])
        except (OSError, ValueError, KeyError):  # the zygote is gone, and its children with it
            return -9
        finally:
            folder = self.folders.pop(pid, None)
            if folder is not None:  # the next child never sees this one's file
                os.chmod(self.scratch.src, 0o755)
                remove(Scratch(folder))
                _read_only(self.scratch.src)

    def close(self) -> None:
        try:
            self.server.close()
        finally:
            kill(self.process)


def _drain(stream) -> None:
    """The zygote's own output (a warning while importing) is not the student's: read and dropped (or kept in
    $PTGRADE_ZYGOTE_LOG, for the kit's developers)."""
    log = settings.current().zygote_log
    while chunk := stream.read(65536):
        if log:
            with open(log, "ab") as handle:
                handle.write(chunk)

