"""Start a sandboxed process: bubblewrap's namespaces where they run, everywhere its own session and process
group under limits on memory, CPU time, file size and processes, dying with its parent."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from ptgrade import i18n
from ptgrade.protocol import settings
from ptgrade.protocol.forkserver import die_with_parent
from ptgrade.sandbox.machine import GIB, NOBODY, become_nobody, bwrap, memory_limit_gib, nobody_can_run
from ptgrade.sandbox.scratch import Scratch, Shared


# -- starting the worker -----------------------------------------------------------------------------
def _python_dirs() -> list[str]:
    """Folders the interpreter and its packages live in, to be visible (read-only) in the sandbox."""
    dirs = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    for entry in sys.path:
        if entry and os.path.isdir(entry) and ("site-packages" in entry or "dist-packages" in entry):
            dirs.add(os.path.realpath(entry))
    # Keep only the outermost folders.
    return sorted(d for d in dirs if not any(d != o and d.startswith(o + os.sep) for o in dirs))


SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt/conda")
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "passwd", "group", "nsswitch.conf", "hosts",
             "localtime", "alternatives", "ssl")


def _bwrap_prefix(scratch: Scratch, shared: Shared) -> list[str]:
    args = [bwrap(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--proc", "/proc", "--tmpfs", "/tmp"]
    if os.geteuid() == 0:
        args += ["--uid", str(NOBODY), "--gid", str(NOBODY)]
    if any(Path("/dev").glob("nvidia*")):  # CUDA needs the real device nodes
        args += ["--dev-bind", "/dev", "/dev", "--ro-bind", "/sys", "/sys"]
    else:
        args += ["--dev", "/dev"]
    for folder in SYSTEM_DIRS:
        if os.path.exists(folder):
            args += ["--ro-bind", folder, folder]
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    for folder in _python_dirs():
        args += ["--ro-bind", folder, folder]
    args += ["--bind", str(scratch.root), str(scratch.root)]
    for folder in shared.writable:
        args += ["--bind", str(folder), str(folder)]
    for folder in shared.readable:
        args += ["--ro-bind", str(folder), str(folder)]
    args += ["--ro-bind", str(scratch.kit), str(scratch.kit), "--ro-bind", str(scratch.src), str(scratch.src),
             "--chdir", str(scratch.work)]
    return args


def environment(scratch: Scratch, extra: dict[str, str]) -> dict[str, str]:
    """The worker's whole environment: nothing of the grader's (no channel, no secrets) is inherited."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(scratch.home), "TMPDIR": "/tmp",
           "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
           "PYTHONNOUSERSITE": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "HF_DATASETS_OFFLINE": "1", "MPLCONFIGDIR": str(scratch.home / ".matplotlib"),
           "TORCHINDUCTOR_CACHE_DIR": str(scratch.home / ".inductor"),
           "TRITON_CACHE_DIR": str(scratch.home / ".triton"), "OMP_NUM_THREADS": "1",
           "PTGRADE_LANG": i18n.current()}
    if not bwrap():
        env["TMPDIR"] = str(scratch.home)
    for name in ("CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra)
    return env


def _limits(limits: tuple, as_nobody: bool) -> None:
    """Run in the child before exec (nothing here may allocate much or take locks): its own session,
    resource limits, death with the parent."""
    os.setsid()
    for limit, value in limits:
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass
    die_with_parent()
    if as_nobody:
        become_nobody()


def _tasks_of_this_user() -> int:
    """RLIMIT_NPROC counts every task of the real user: allow what runs now plus a margin."""
    uid, count = os.getuid(), 0
    try:
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    if os.stat(f"/proc/{pid}").st_uid == uid:
                        count += len(os.listdir(f"/proc/{pid}/task"))
                except OSError:
                    pass
    except OSError:
        return 4096
    return count


def start(scratch: Scratch, argv: list[str], env: dict[str, str], pass_fds: tuple[int, ...],
          cpu_seconds: int, shared: Shared = Shared()) -> subprocess.Popen:
    """Start `argv` sandboxed; its stdout and stderr come back on one pipe."""
    as_nobody = False
    limits = ((resource.RLIMIT_DATA, int(memory_limit_gib() * GIB)), (resource.RLIMIT_CPU, cpu_seconds),
              (resource.RLIMIT_FSIZE, settings.current().file_mb * 1024 * 1024), (resource.RLIMIT_CORE, 0),
              (resource.RLIMIT_NPROC, _tasks_of_this_user() + 512))
    if bwrap():
        command = [*_bwrap_prefix(scratch, shared)]
        for key, value in env.items():
            command += ["--setenv", key, value]
        command += argv
        popen_env, cwd = {}, None
    else:
        command, popen_env, cwd = argv, env, scratch.work
        as_nobody = os.geteuid() == 0 and nobody_can_run(sys.executable)
    return subprocess.Popen(command, env=popen_env, cwd=cwd, pass_fds=pass_fds, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: _limits(limits, as_nobody))


class Launched(NamedTuple):
    process: subprocess.Popen
    to_worker: int      # the judge writes requests here
    from_worker: int    # and reads answers here


def launch_worker(scratch: Scratch, file_name: str, display: str, threads: int, cpu_seconds: int,
                  shared: Shared = Shared(), standby: bool = False, preload: tuple[str, ...] = ()) -> Launched:
    """Start ptgrade/worker/main.py on the copy of the student's file, sandboxed, with two private pipes.
    With `standby` it imports torch and then waits for a `load` request before importing the file."""
    from ptgrade.protocol.contract import WORKER_BOOT
    to_worker_r, to_worker_w = os.pipe()
    from_worker_r, from_worker_w = os.pipe()
    argv = [sys.executable, "-I", "-c", WORKER_BOOT, str(scratch.kit), str(to_worker_r), str(from_worker_w),
            str(scratch.src / file_name), display, str(threads), "standby" if standby else "now", ",".join(preload)]
    try:
        process = start(scratch, argv, environment(scratch, {"PTGRADE_THREADS": str(threads)}),
                        (to_worker_r, from_worker_w), cpu_seconds, shared)
    except BaseException:
        os.close(to_worker_w)
        os.close(from_worker_r)
        raise
    finally:
        os.close(to_worker_r)
        os.close(from_worker_w)
    return Launched(process, to_worker_w, from_worker_r)


def kill(process) -> None:
    """Kill the worker's whole process group (and, under bubblewrap, its pid namespace with it)."""
    if getattr(process, "forked", False):  # a zygote's child: killed through the zygote
        process.kill()
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except ProcessLookupError:
        pass
    process.wait()
