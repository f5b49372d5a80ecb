"""The sandboxed worker processes of one judge session, by what they grade: a file's path, a plan's key, or
("clean", key) for a worker that imports no student code. A worker is a fresh sandboxed interpreter (one file,
started before the judge imports torch), or a fork of one warm zygote (a plan's files, one after another)."""
from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from ptgrade import sandbox
from ptgrade.protocol import problems
from ptgrade.protocol.requests import Op

if TYPE_CHECKING:
    from ptgrade.judge import remote
# Nothing at module level imports torch (remote does): the first worker starts before the judge imports torch.

SEED = 0
CLEAN_MODULE = Path(__file__).resolve().parents[1] / "worker" / "clean_module.py"
KIT_PACKAGES = {"__future__", "solutions", "exercises", "graders", "ptgrade"}


def libraries_of(reference: Path) -> tuple[str, ...]:
    """The libraries the kit's reference solution imports at module level (sklearn.datasets, torchvision.io ...),
    read from its text, never run. A zygote that grades the kit's own files (`verify`, `mutate`) imports them once,
    so that each fork does not import them again: most mutants import the reference."""
    import ast
    try:
        tree = ast.parse(reference.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return ()
    names = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names
                                      if alias.name != "*" and not alias.name[:1].isupper()]
    return tuple(dict.fromkeys(name for name in names if name.split(".")[0] not in KIT_PACKAGES))


class Workers:
    def __init__(self, graders_dir: Path, reference: Path | None, observations: tuple[str, ...],
                 shared: sandbox.Shared, threads: int, cpu_seconds: int, display: str | None = None):
        self.graders_dir, self.reference, self.observations = graders_dir, reference, observations
        self.shared, self.threads, self.cpu_seconds, self.display = shared, threads, cpu_seconds, display
        self.connections: dict = {}
        self.launched: dict = {}  # started, not yet taken over by a Connection
        self.scratches: list[sandbox.Scratch] = []
        self.zygote: sandbox.Zygote | None = None

    # -- starting ----------------------------------------------------------------------------------------
    def launch(self, path: Path, standby: bool = False, display: str | None = None, ident=None) -> None:
        """Start the worker for `path` (torch-free); `connection` takes it over later."""
        scratch = sandbox.prepare(self.graders_dir, path, self.reference)
        self.scratches.append(scratch)
        display = display or self.display or problems.display(path)
        self.launched[ident or path] = (scratch, display, sandbox.launch_worker(
            scratch, path.name, display, self.threads, self.cpu_seconds, self.shared, standby, self.observations))

    def start_zygote(self) -> None:
        """The plan's zygote, started now so its torch import overlaps the judge's."""
        scratch = sandbox.prepare(self.graders_dir, None, self.reference)
        self.scratches.append(scratch)
        self.zygote = sandbox.Zygote(scratch, self.threads, self.cpu_seconds, self.shared, self.observations)

    def load_all(self) -> None:
        """A standby judge was told to grade: each launched worker imports its file as it is now."""
        from ptgrade.protocol import wire  # torch: a standby judge has long since imported it
        for path, (scratch, _display, launched) in self.launched.items():
            sandbox.refresh(scratch, path)
            wire.write_frame(launched.to_worker, pickle.dumps({"op": Op.LOAD}))

    def _spawn(self, path: Path, display: str) -> sandbox.Launched:
        """A fork of the zygote; a new zygote if a file before killed it (that costs only time)."""
        for attempt in range(2):
            if attempt or not self.zygote.alive():
                self.zygote.close()
                self.zygote = sandbox.Zygote(self.zygote.scratch, self.threads, self.cpu_seconds, self.shared,
                                             self.zygote.preload)
            try:
                return self.zygote.spawn(path, display)
            except OSError:  # it died between the look and the fork
                if attempt:
                    raise

    def _restart(self, snapshot: Path, display: str) -> sandbox.Launched:
        """A fresh worker after a timeout or a crash: a fork of a zygote started for the first restart, so that a
        submission whose functions all hang costs each check its limit, not its limit and a torch import."""
        if self.zygote is None:
            self.start_zygote()
        return self._spawn(snapshot, display)

    # -- connections -------------------------------------------------------------------------------------
    def connection(self, path: Path, display: str | None = None, ident=None) -> remote.Connection:
        ident = ident or path
        if ident not in self.connections:
            from ptgrade.judge import remote
            if self.zygote is not None:
                connection = remote.Connection(self.zygote.scratch, path, display, self.threads, self.cpu_seconds,
                                               launcher=lambda: self._spawn(path, display))
                connection.start()
            else:
                if ident not in self.launched:
                    self.launch(path, display=display, ident=ident)
                scratch, display, launched = self.launched.pop(ident)
                snapshot = scratch.src / path.name  # the file as it was when this run began
                connection = remote.Connection(scratch, path, display, self.threads, cpu_seconds=self.cpu_seconds,
                                               shared=self.shared,
                                               launcher=lambda: self._restart(snapshot, display))
                connection.start(launched)
            self.connections[ident] = connection
        return self.connections[ident]

    def clean(self, key, current: remote.Connection | None) -> remote.Connection:
        """A fresh sandboxed worker that imports no student code (an empty module), never a zygote's fork: it runs
        what the student's code wrote (a TorchScript archive) where nothing of the student's process can answer for
        it. It shares no pid namespace or folder with the student's worker. Made during a check, it gets that
        check's time."""
        ident = ("clean", key)
        if ident not in self.connections:
            from ptgrade.judge import remote
            self.launch(CLEAN_MODULE, display="(a clean process)", ident=ident)
            scratch, display, launched = self.launched.pop(ident)
            connection = remote.Connection(scratch, CLEAN_MODULE, display, self.threads, cpu_seconds=self.cpu_seconds,
                                           shared=self.shared)
            connection.start(launched)
            self.connections[ident] = connection
        connection = self.connections[ident]
        if current is not None and current.deadline is not None and connection.deadline is None:
            connection.begin_check(SEED, current.limit_seconds, current.import_seconds)
        return connection

    def clean_ones(self) -> list[remote.Connection]:
        return [c for ident, c in self.connections.items() if isinstance(ident, tuple) and ident[0] == "clean"]

    def end(self, ident) -> None:
        """End a worker and all it started; its scratch goes with it unless it is the zygote's."""
        connection = self.connections.pop(ident, None)
        if connection is None:
            return
        connection.stop()
        own = self.zygote is None or connection.scratch is not self.zygote.scratch
        if own and connection.scratch in self.scratches:
            self.scratches.remove(connection.scratch)
            sandbox.remove(connection.scratch)

    def close(self) -> None:
        for connection in self.connections.values():
            connection.stop()
        if self.zygote is not None:
            self.zygote.close()
        for _scratch, _display, launched in self.launched.values():  # never needed (nothing was collected)
            sandbox.kill(launched.process)
            for fd in (launched.to_worker, launched.from_worker):
                os.close(fd)
        for scratch in self.scratches:
            sandbox.remove(scratch)
