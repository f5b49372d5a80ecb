"""The pytest plugin every grader runs under: the `impl` fixture, the kit's markers, outcome
classification, the tamper guard and the result channel.

A grader module still runs under plain `pytest graders/test_s1_2_tensors.py` (pyproject.toml loads
this plugin; it only acts on grader modules, `test_s<section>_<n>_*.py`). Under `ptgrade`, the runner also hands the child a private channel (a pipe whose
fd and nonce arrive in the environment, taken and cleared here before any student code runs); only
what arrives there counts as a result: a report that student code prints is just output.
"""
from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest

from ptgrade import loader, tamper

DIMENSIONS = ("numerics", "gradients", "device", "convergence", "compile", "export")
MARKERS = {
    "points(n)": "points the check is worth",
    **{name: f"dimension: {name}" for name in DIMENSIONS},
    "gpu": "needs CUDA; skipped, with the reason shown, where there is none",
    "slow": "a long check (real pretrained models, long training)",
    "hidden": "an instructor-only check, removed from the student edition by `ptgrade release`",
}

def _open_channel():
    """The result channel, taken from the environment at import, before any student code exists in
    this process; the fd and nonce are kept only in this closure (the dup'd fd is not inherited by
    processes that student code starts)."""
    fd, nonce = os.environ.pop("PTGRADE_CHANNEL_FD", None), os.environ.pop("PTGRADE_NONCE", "")
    if fd is None:
        return lambda event, **data: None
    stream = os.fdopen(os.dup(int(fd)), "w", buffering=1, encoding="utf-8")
    os.close(int(fd))

    def send(event: str, **data) -> None:
        stream.write(json.dumps({"nonce": nonce, "event": event, **data}) + "\n")
        stream.flush()
    return send


_send = _open_channel()


def pytest_addoption(parser):
    group = parser.getgroup("ptgrade")
    group.addoption("--ptgrade-impl", default=None,
                    help="file to grade (default: exercises/<module>.py beside graders/)")
    group.addoption("--ptgrade-source", default=None,
                    help="folder laid out like exercises/ to take the file from")
    group.addoption("--ptgrade-device", default="auto", choices=("cpu", "cuda", "auto"),
                    help="device the `device` fixture gives checks")


def pytest_configure(config):
    # One thread unless asked otherwise: the checks use small models, for which threads cost more
    # than they give, and a run's numbers then do not depend on the machine's core count.
    threads = os.environ.get("PTGRADE_THREADS", "1")
    if threads.isdigit() and int(threads) > 0:
        import torch
        torch.set_num_threads(int(threads))
    for marker, text in MARKERS.items():
        config.addinivalue_line("markers", f"{marker}: {text}")
    config.pluginmanager.register(_Grading(config), "ptgrade-grading")


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
    return {"name": item.name, "dimension": dims[0], "max_score": float(points.args[0]),
            "gpu": item.get_closest_marker("gpu") is not None}


class _Grading:
    """State of one grading session: which file is graded, its loaded module, the guard."""

    def __init__(self, config):
        self.config = config
        self.guard: tamper.Guard | None = None
        self.implementations: dict[Path, loader.Implementation] = {}

    # -- collection: validate the checks, announce them, then import the student's file once ----
    def pytest_collection_modifyitems(self, session, config, items):
        specs = [check_spec(item) for item in items if is_check(item)]
        _send("collected", checks=specs)

    def pytest_collection_finish(self, session):
        device = self.config.getoption("ptgrade_device")
        if device == "cuda":
            import torch
            if not torch.cuda.is_available():
                message = "--device cuda was asked for, but torch.cuda.is_available() is False here."
                _send("fatal", message=message)
                raise pytest.UsageError(message)
        checks = [item for item in session.items if is_check(item)]
        if not checks:
            return
        self.guard = tamper.Guard()
        # An implementation registered before the session (a notebook's namespace, see
        # ptgrade/notebook.py) is graded as it is: nothing to import.
        paths = {self.impl_path(item) for item in checks} - set(self.implementations)
        for path in sorted(paths):
            _send("importing", path=str(path))
            implementation = loader.load(path)
            try:
                self.guard.verify("while your module was imported")
            except tamper.TamperError as error:
                implementation._ptgrade_problem = error
            self.implementations[path] = implementation

    def impl_path(self, node) -> Path:
        """The file graded for a grader module (or a check in it)."""
        explicit = self.config.getoption("ptgrade_impl")
        if explicit:
            return Path(explicit).resolve()
        grader = Path(str(node.fspath))
        source = self.config.getoption("ptgrade_source")
        folder = Path(source) if source else grader.parent.parent / "exercises"
        module_file = grader.name.removeprefix("test_")
        return (folder / module_file).resolve()

    # -- each check -----------------------------------------------------------------------------
    def pytest_runtest_setup(self, item):
        if not is_check(item):
            return
        _send("start", name=item.name)
        # Seed every source of randomness so a check sees the same inputs on every run.
        random.seed(0)
        try:
            import numpy
            numpy.random.seed(0)
        except ImportError:
            pass
        import torch
        torch.manual_seed(0)
        if item.get_closest_marker("gpu") and not torch.cuda.is_available():
            pytest.skip("needs a CUDA GPU; torch.cuda.is_available() is False on this machine")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        try:
            return (yield)
        finally:
            if self.guard is not None:
                self.guard.verify("during this check")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if not is_check(item):
            return report
        if call.when == "call" or (call.when == "setup" and not report.passed):
            outcome, message = loader.classify(call.excinfo, report, self.impl_path(item))
            report.ptgrade = (outcome, message)
            _send("result", name=item.name, outcome=outcome, message=message)
            if outcome == "not_started":
                report.longrepr = f"not started: {message}"
        return report


@pytest.fixture(scope="module")
def impl(request) -> loader.Implementation:
    """The implementation under test: the student's module, a solution, a mutant or a notebook."""
    grading: _Grading = request.config.pluginmanager.get_plugin("ptgrade-grading")
    path = grading.impl_path(request.node)
    if path not in grading.implementations:
        grading.implementations[path] = loader.load(path)
    return grading.implementations[path].checked()


@pytest.fixture
def device(request):
    """The device checks run on: --ptgrade-device, where `auto` means CUDA when present."""
    import torch
    choice = request.config.getoption("ptgrade_device")
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(choice)
