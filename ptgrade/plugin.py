"""The pytest plugin of the judge: the `impl` fixture, the kit's markers, per-check deadlines and
seeds, outcome classification and the result channel.

The judge never imports the file under test. `impl` is a proxy (ptgrade/remote.py) to a sandboxed
worker process (ptgrade/worker.py, started through ptgrade/sandbox.py) that imports it; graders
compute expected values here and compare them with the data the worker sends back. A grader module
still runs under plain `pytest graders/test_s1_2_tensors.py` (pyproject.toml loads this plugin; it
only acts on grader modules, `test_s<section>_<n>_*.py`).
"""
from __future__ import annotations

import os
import random
import re
import tempfile
from pathlib import Path

import pytest

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ptgrade import remote
# Nothing here imports torch: the worker is launched first, so its torch import overlaps the judge's.
from ptgrade import contract, loader, outcomes, sandbox
from ptgrade.i18n import _

DIMENSIONS = ("numerics", "gradients", "device", "convergence", "compile", "export")
MARKERS = {
    "points(n)": "points the check is worth",
    **{name: f"dimension: {name}" for name in DIMENSIONS},
    "gpu": "needs CUDA; skipped, with the reason shown, where there is none",
    "slow": "a long check (real pretrained models, long training)",
    "hidden": "an instructor-only check, removed from the student edition by `ptgrade release`",
    "title(en, ko=...)": "the check's title for the student, in English and Korean",
}
SEED = 0

_send = contract.open_channel()


def pytest_addoption(parser):
    group = parser.getgroup("ptgrade")
    group.addoption("--ptgrade-impl", default=None,
                    help="file to grade (default: exercises/<module>.py beside graders/)")
    group.addoption("--ptgrade-source", default=None,
                    help="folder laid out like exercises/ to take the file from")
    group.addoption("--ptgrade-device", default="auto", choices=("cpu", "cuda", "auto"),
                    help="device the `device` fixture gives checks")
    group.addoption("--ptgrade-check-seconds", type=float, default=None,
                    help="time the student's code has per check (default: the timeout ini value)")
    group.addoption("--ptgrade-display", default=None, help="how messages name the graded file")
    group.addoption("--ptgrade-standby", action="store_true", default=False,
                    help="load everything, then grade when told to on $PTGRADE_GO_FD (ptgrade watch)")
    group.addoption("--ptgrade-reference", default=None,
                    help="instructors' mutants only: the reference module they import the rest from")


def _threads() -> int:
    threads = os.environ.get("PTGRADE_THREADS", "1")
    return int(threads) if threads.isdigit() and int(threads) > 0 else 1


def pytest_configure(config):
    for marker, text in MARKERS.items():
        config.addinivalue_line("markers", f"{marker}: {text}")
    grading = _Grading(config)
    config.pluginmanager.register(grading, "ptgrade-grading")
    explicit = config.getoption("ptgrade_impl")
    if explicit:  # start the student's process now: it imports torch while the judge does
        grading.launch(Path(explicit).resolve(), standby=config.getoption("ptgrade_standby"))
    import torch
    torch.set_num_threads(_threads())


def pytest_unconfigure(config):
    grading = config.pluginmanager.get_plugin("ptgrade-grading")
    if grading is not None:
        grading.close()


GRADER_FILE = re.compile(r"^test_s\d+_\d+_\w+\.py$")


def is_check(item: pytest.Item) -> bool:
    return bool(GRADER_FILE.match(Path(str(item.fspath)).name))


def check_spec(item: pytest.Item) -> dict:
    """A check's points and dimension, from its markers; a grader bug if either is missing."""
    dims = [d for d in DIMENSIONS if item.get_closest_marker(d)]
    points = item.get_closest_marker("points")
    if len(dims) != 1 or points is None or not points.args:
        raise pytest.UsageError(f"grader bug: {item.nodeid} needs one dimension marker "
                                f"({', '.join(DIMENSIONS)}) and @pytest.mark.points(n).")
    title = item.get_closest_marker("title")
    titles = {"en": str(title.args[0]), "ko": str(title.kwargs.get("ko", ""))} if title and title.args else {}
    return {"name": item.name, "dimension": dims[0], "max_score": float(points.args[0]),
            "gpu": item.get_closest_marker("gpu") is not None, "titles": titles}


class _Grading:
    """One judge session: a sandboxed worker per graded file, and the results it reports."""

    def __init__(self, config):
        self.config = config
        self.connections: dict[Path, remote.Connection] = {}
        self.launched: dict[Path, tuple] = {}  # started, not yet taken over by a Connection
        self.scratches: list[sandbox.Scratch] = []
        self.current: remote.Connection | None = None
        self.shared_tmp = Path(tempfile.mkdtemp(prefix="ptgrade-tmp-"))
        os.chmod(self.shared_tmp, 0o777)  # the worker may run as another user
        if not config.option.basetemp:  # tmp_path lives where the student's process can write too
            config.option.basetemp = str(self.shared_tmp / "pytest")

    def root(self) -> Path:
        return Path(str(self.config.rootpath))

    def launch(self, path: Path, standby: bool = False) -> None:
        """Start the worker for `path` (torch-free); `connection` takes it over later."""
        reference = self.config.getoption("ptgrade_reference")
        scratch = sandbox.prepare(self.root() / "graders", path, Path(reference) if reference else None)
        self.scratches.append(scratch)
        display = self.config.getoption("ptgrade_display") or loader.display(path)
        self.launched[path] = (scratch, display, sandbox.launch_worker(
            scratch, path.name, display, _threads(), self._cpu_seconds(), [self.shared_tmp], standby))

    def wait_for_go(self) -> None:
        """A standby judge: everything is loaded; grade the file as it is when the word comes."""
        go_fd = os.environ.pop(contract.GO_FD, None)
        word = b""
        if go_fd is not None:
            with os.fdopen(int(go_fd), "rb", buffering=0) as go:
                word = go.readline().strip()
        if word != b"go":
            pytest.exit("standby judge released without grading", returncode=0)
        from ptgrade import wire
        import pickle
        for path, (scratch, _display, launched) in self.launched.items():
            sandbox.refresh(scratch, path)
            wire.write_frame(launched.to_worker, pickle.dumps({"op": "load"}))

    def connection(self, path: Path) -> remote.Connection:
        if path not in self.connections:
            from ptgrade import remote
            if path not in self.launched:
                self.launch(path)
            scratch, display, launched = self.launched.pop(path)
            connection = remote.Connection(scratch, path, display, _threads(), cpu_seconds=self._cpu_seconds(),
                                           writable=[self.shared_tmp])
            connection.start(launched)
            self.connections[path] = connection
        return self.connections[path]

    def check_seconds(self) -> float:
        seconds = self.config.getoption("ptgrade_check_seconds")
        if seconds:
            return float(seconds)
        try:  # pytest-timeout's limit, less the judge's own grace
            return max(1.0, float(self.config.getini("timeout")) - contract.JUDGE_GRACE_SECONDS)
        except (ValueError, TypeError):
            from ptgrade.manifest import DEFAULT_TIMEOUT
            return float(DEFAULT_TIMEOUT)

    def _cpu_seconds(self) -> int:
        return int(os.environ.get("PTGRADE_CPU_SECONDS", "1800"))

    def close(self) -> None:
        for connection in self.connections.values():
            connection.stop()
        for _scratch, _display, launched in self.launched.values():  # never needed (nothing was collected)
            sandbox.kill(launched.process)
            for fd in (launched.to_worker, launched.from_worker):
                os.close(fd)
        for scratch in self.scratches:
            sandbox.remove(scratch)
        sandbox.remove(sandbox.Scratch(self.shared_tmp))

    def impl_path(self, node) -> Path:
        """The file graded for a grader module (or a check in it)."""
        explicit = self.config.getoption("ptgrade_impl")
        if explicit:
            return Path(explicit).resolve()
        grader = Path(str(node.fspath))
        source = self.config.getoption("ptgrade_source")
        folder = Path(source) if source else grader.parent.parent / "exercises"
        return (folder / grader.name.removeprefix("test_")).resolve()

    # -- collection ---------------------------------------------------------------------------------
    def pytest_collection_modifyitems(self, session, config, items):
        specs = [check_spec(item) for item in items if is_check(item)]
        _send("collected", checks=specs)

    def pytest_collection_finish(self, session):
        if self.config.getoption("ptgrade_standby"):
            self.wait_for_go()
        if self.config.getoption("ptgrade_device") == "cuda":
            import torch
            if not torch.cuda.is_available():
                message = _("--device cuda was asked for, but torch.cuda.is_available() is False here.")
                _send("fatal", message=message)
                raise pytest.UsageError(message)

    # -- each check -----------------------------------------------------------------------------------
    def pytest_runtest_setup(self, item):
        if not is_check(item):
            return
        _send("start", name=item.name)
        # The same seeds in the judge and (before its next request) in the student's process.
        random.seed(SEED)
        try:
            import numpy
            numpy.random.seed(SEED)
        except ImportError:
            pass
        import torch
        torch.manual_seed(SEED)
        self.current = self.connection(self.impl_path(item))
        self.current.begin_check(SEED, self.check_seconds())
        if item.get_closest_marker("gpu") and not torch.cuda.is_available():
            pytest.skip(_("needs a CUDA GPU; torch.cuda.is_available() is False on this machine"))

    def pytest_runtest_teardown(self, item):
        if self.current is not None:
            self.current.end_check()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if not is_check(item):
            return report
        if call.when == "call" or (call.when == "setup" and not report.passed):
            outcome, message = outcomes.classify(call.excinfo, report)
            report.ptgrade = (outcome, message)
            _send("result", name=item.name, outcome=outcome, message=message)
            if outcome == "not_started":
                report.longrepr = f"not started: {message}"
        return report


@pytest.fixture(scope="module")
def impl(request) -> remote.RemoteImplementation:
    """The implementation under test, in its sandboxed process: the student's module, a solution, a
    mutant or a notebook's exported code."""
    grading: _Grading = request.config.pluginmanager.get_plugin("ptgrade-grading")
    path = grading.impl_path(request.node)
    from ptgrade import remote
    return remote.RemoteImplementation(grading.connection(path), path)


@pytest.fixture
def device(request):
    """The device checks run on: --ptgrade-device, where `auto` means CUDA when present."""
    import torch
    choice = request.config.getoption("ptgrade_device")
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(choice)
