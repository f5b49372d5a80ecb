"""The pytest plugin of the judge: the `impl` fixture, the kit's markers, per-check deadlines and
seeds, outcome classification and the result channel.

The judge never imports the file under test. `impl` is a proxy (ptgrade/judge/remote.py) to a sandboxed
worker process (ptgrade/worker/main.py, started through ptgrade/sandbox.py) that imports it; graders
compute expected values here and compare them with the data the worker sends back. A grader module
still runs under plain `pytest graders/test_s1_2_tensors.py` (pyproject.toml loads this plugin; it
only acts on grader modules, `test_s<section>_<n>_*.py`).
"""
from __future__ import annotations

import os
import random
import re
import resource
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ptgrade.judge import remote
# Nothing here imports torch: the worker is launched first, so its torch import overlaps the judge's.
from ptgrade import i18n, sandbox
from ptgrade.i18n import _
from ptgrade.judge import outcomes
from ptgrade.judge.files import JudgeFiles
from ptgrade.judge.workers import CLEAN_MODULE, SEED, Workers, libraries_of
from ptgrade.protocol import contract, settings
from ptgrade.protocol.plan import Mode, Plan, PlanEntry
from ptgrade.protocol.results import Outcome

DIMENSIONS = ("numerics", "gradients", "device", "convergence", "compile", "export", "distributed")
MARKERS = {
    "points(n)": "points the check is worth",
    **{name: f"dimension: {name}" for name in DIMENSIONS},
    "gpu": "needs CUDA; skipped, with the reason shown, where there is none",
    "slow": "a long check (real pretrained models, long training)",
    "hidden": "an instructor-only check, removed from the student edition by `ptgrade release`",
    "title(en, ko=...)": "the check's title for the student, in English and Korean",
}

_send = contract.open_channel()
EXIT_STATUS = pytest.StashKey[int]()
_GRADING: list = []  # this process's judge session, for helpers that are not fixtures
JUDGE_SKIPPED = pytest.StashKey[bool]()  # the judge itself skipped this check (no CUDA): the only skip there is


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
    group.addoption("--ptgrade-import-seconds", type=float, default=None,
                    help="time importing the student's module may take (default: the check's time)")
    group.addoption("--ptgrade-display", default=None, help="how messages name the graded file")
    group.addoption("--ptgrade-standby", action="store_true", default=False,
                    help="load everything, then grade when told to on $PTGRADE_GO_FD (ptgrade watch)")
    group.addoption("--ptgrade-reference", default=None,
                    help="instructors' mutants only: the reference module they import the rest from")
    group.addoption("--ptgrade-plan", default=None,
                    help="a JSON plan: many files graded by this one judge (`ptgrade verify`, `ptgrade grade`)")


def _threads() -> int:
    return settings.current().threads


def _limit_own_memory() -> None:
    """A judge lives under its own memory limit: what crosses the boundary is bounded before it is read, and
    this catches what is not. Only the soft limit: the workers it starts set their own."""
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = int(sandbox.judge_memory_gib() * sandbox.GIB)
        resource.setrlimit(resource.RLIMIT_DATA, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ValueError, OSError):
        pass


def pytest_configure(config):
    for marker, text in MARKERS.items():
        config.addinivalue_line("markers", f"{marker}: {text}")
    if _send.connected:  # a judge the runner started (not the kit's own test session)
        _limit_own_memory()
    grading = _Grading(config)
    config.pluginmanager.register(grading, "ptgrade-grading")
    _GRADING[:] = [grading]
    explicit, plan = config.getoption("ptgrade_impl"), config.getoption("ptgrade_plan")
    if plan:
        grading.load_plan(Path(plan))
    elif explicit:  # start the student's process now: it imports torch while the judge does
        grading.workers.launch(Path(explicit).resolve(), standby=config.getoption("ptgrade_standby"))
    import torch
    torch.set_num_threads(_threads())


def pytest_sessionfinish(session, exitstatus):
    session.config.stash[EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)  # after every other plugin has unconfigured
def pytest_unconfigure(config):
    grading = config.pluginmanager.get_plugin("ptgrade-grading")
    if grading is not None:
        grading.close()
    status = config.stash.get(EXIT_STATUS, None)
    if _send.connected and status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        # A judge whose checks ran: every event is sent and its workers and scratch are gone. Skipping the
        # interpreter's teardown (torch's is slow) puts the result on screen about a second sooner after a
        # save. Any other ending is left to pytest, which still has its error to print.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


GRADER_FILE = re.compile(r"^test_s\d+_\d+_\w+\.py$")


def is_check(item: pytest.Item) -> bool:
    return bool(GRADER_FILE.match(Path(str(item.fspath)).name))


def check_spec(item: pytest.Item) -> contract.CheckSpec:
    """A check's points and dimension, from its markers; a grader bug if either is missing."""
    dims = [d for d in DIMENSIONS if item.get_closest_marker(d)]
    points = item.get_closest_marker("points")
    if len(dims) != 1 or points is None or not points.args:
        raise pytest.UsageError(f"grader bug: {item.nodeid} needs one dimension marker "
                                f"({', '.join(DIMENSIONS)}) and @pytest.mark.points(n).")
    title = item.get_closest_marker("title")
    titles = {"en": str(title.args[0]), "ko": str(title.kwargs.get("ko", ""))} if title and title.args else {}
    return contract.CheckSpec(name=item.originalname, impl=plan_key(item), dimension=dims[0],
                              max_score=float(points.args[0]), gpu=item.get_closest_marker("gpu") is not None,
                              titles=titles)


def plan_key(item: pytest.Item) -> str | None:
    """The plan's file a check runs on (None when the judge grades one file)."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("impl") if callspec is not None else None


class _Grading:
    """One judge session: the pytest hooks that run each check against its file's worker and report its result.
    The workers are `Workers` (ptgrade/judge/workers.py); the files, `JudgeFiles` (ptgrade/judge/files.py)."""

    def __init__(self, config):
        self.config = config
        self.files = JudgeFiles()
        if not config.option.basetemp:
            config.option.basetemp = str(self.files.first_basetemp())
        reference = config.getoption("ptgrade_reference")
        self.workers = Workers(self.root() / "graders", Path(reference) if reference else None, self._observations(),
                               self.files.shared(), _threads(), settings.current().cpu_seconds,
                               config.getoption("ptgrade_display"))
        self.current: remote.Connection | None = None
        self.plan: dict[str, PlanEntry] = {}
        self.active: str | None = None      # the plan's file being judged now
        self.mode = Mode.STUDENTS           # a plan's files are different people's: nothing carries over
        self.module_fixtures = []           # pytest's definitions of the checks' module fixtures
        self.causes = outcomes.FirstCauses()  # a mistake named once, per file, is pointed at afterwards

    def root(self) -> Path:
        return Path(str(self.config.rootpath))

    def _observations(self) -> tuple[str, ...]:
        """The observations of the items this judge grades, imported by its workers before the student's file."""
        stems = [Path(str(arg).split("::")[0]).stem for arg in self.config.args]
        names = [stem.removeprefix("test_") for stem in stems if GRADER_FILE.match(stem + ".py")]
        observations = self.root() / "graders" / "observations"
        return tuple(dict.fromkeys(f"graders.observations.{name}" for name in names
                                   if (observations / f"{name}.py").is_file()))

    def load_plan(self, path: Path) -> None:
        """Many files, one judge: each file's checks run in turn, each file in its own fork of one warm zygote."""
        plan = Plan.read(path)
        self.plan, self.mode = {entry.key: entry for entry in plan.entries}, plan.mode
        if plan.mode is Mode.BANK and self.workers.reference is not None:  # the kit's own files, most importing it
            self.workers.observations += libraries_of(self.workers.reference)
        self.workers.start_zygote()

    def wait_for_go(self) -> None:
        """A standby judge: everything is loaded; grade the file as it is when the word comes."""
        go_fd = os.environ.pop(contract.GO_FD, None)
        word = b""
        if go_fd is not None:
            with os.fdopen(int(go_fd), "rb", buffering=0) as go:
                word = go.readline().strip()
        if word != b"go":
            pytest.exit("standby judge released without grading", returncode=0)
        self.workers.load_all()

    def planned_connection(self, key: str) -> remote.Connection:
        """The worker of a plan's file (a fork of the zygote)."""
        entry = self.plan[key]
        return self.workers.connection(entry.path, entry.display, ident=key)

    def finish(self, key: str, request) -> None:
        """A plan's file is judged: end its worker and all it started. Between students, module fixtures are made
        again (data a grader made once per module, like 5.1's CIFAR archive) and the files start afresh."""
        if key not in self.workers.connections:
            return
        self.workers.end(key)
        if self.mode is Mode.STUDENTS:
            for definition in self.module_fixtures:
                definition.finish(request)  # its teardown runs now; pytest makes it again when a check asks for it
            self.files.next_student(self.config)

    def check_seconds(self) -> float:
        seconds = self.config.getoption("ptgrade_check_seconds")
        if seconds:
            return float(seconds)
        try:  # pytest-timeout's limit, less the judge's own grace
            return max(1.0, float(self.config.getini("timeout")) - contract.JUDGE_GRACE_SECONDS)
        except (ValueError, TypeError):
            return float(contract.DEFAULT_TIMEOUT)

    def close(self) -> None:
        self.workers.close()
        self.files.remove()

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
    def pytest_generate_tests(self, metafunc):
        """With a plan, every check runs once per file, grouped by file (`impl` is module-scoped)."""
        if self.plan and "impl" in metafunc.fixturenames:
            metafunc.parametrize("impl", list(self.plan), indirect=True, scope="module", ids=list(self.plan))

    @pytest.hookimpl(trylast=True)  # after pytest has grouped the checks by file
    def pytest_collection_modifyitems(self, session, config, items):
        if self.plan:
            self.module_fixtures = list({id(d): d for item in items
                                         for definitions in item._fixtureinfo.name2fixturedefs.values()
                                         for d in definitions
                                         if d.scope in ("module", "class") and d.argname != "impl"}.values())
            chosen = [item for item in items if not is_check(item) or self._planned(item)]
            dropped = [item for item in items if item not in chosen]
            if dropped:
                config.hook.pytest_deselected(items=dropped)
                items[:] = chosen
        specs = [check_spec(item) for item in items if is_check(item)]
        _send(contract.Collected(tuple(specs)))

    def _planned(self, item) -> bool:
        entry = self.plan.get(plan_key(item))
        return entry is not None and (entry.only is None or item.originalname in entry.only)

    def pytest_collection_finish(self, session):
        if self.config.getoption("ptgrade_standby"):
            self.wait_for_go()
        if self.config.getoption("ptgrade_device") == "cuda":
            import torch
            if not torch.cuda.is_available():
                message = _("--device cuda was asked for, but torch.cuda.is_available() is False here.")
                _send(contract.Fatal(message))
                raise pytest.UsageError(message)

    # -- each check -----------------------------------------------------------------------------------
    def pytest_runtest_setup(self, item):
        if not is_check(item):
            return
        _send(contract.Started(item.originalname, plan_key(item)))
        # The same seeds in the judge and (before its next request) in the student's process.
        random.seed(SEED)
        try:
            import numpy
            numpy.random.seed(SEED)
        except ImportError:
            pass
        import torch
        torch.manual_seed(SEED)
        key = plan_key(item)
        if key is not None:
            if self.active is not None and self.active != key:  # the file before is done: end it first
                self.finish(self.active, item._request)
            self.active = key
            self.current = self.planned_connection(key)
        else:
            self.current = self.workers.connection(self.impl_path(item))
        limits = self.check_seconds(), self.config.getoption("ptgrade_import_seconds")
        self.current.begin_check(SEED, *limits)
        for connection in self.workers.clean_ones():
            connection.begin_check(SEED, *limits)
        if item.get_closest_marker("gpu") and not torch.cuda.is_available():
            item.stash[JUDGE_SKIPPED] = True
            pytest.skip(_("needs a CUDA GPU; torch.cuda.is_available() is False on this machine"))

    def pytest_runtest_teardown(self, item):
        if self.current is not None:
            self.current.end_check()
        for connection in self.workers.clean_ones():
            connection.end_check()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if not is_check(item):
            return report
        if call.when == "call" or (call.when == "setup" and not report.passed):
            if report.skipped and not _skip_is_the_judges(item, call, report):
                report.outcome = Outcome.FAILED  # whatever claimed a skip, only the judge decides one
            outcome, message, kit_fault = outcomes.verdict(call.excinfo, report)
            if outcome == Outcome.FAILED:
                spec = check_spec(item)
                message = self.causes.message(plan_key(item), call.excinfo.value if call.excinfo else None,
                                              spec.titles.get(i18n.current()) or spec.name, message)
            report.ptgrade = (outcome, message)
            used = self.current.used_seconds if self.current is not None else 0.0
            _send(contract.Finished(item.originalname, plan_key(item), outcome, message, kit_fault is True,
                                    round(used, 3)))
            if outcome == Outcome.NOT_STARTED:
                report.longrepr = f"not started: {message}"
        return report


def _skip_is_the_judges(item, call, report) -> bool:
    """A skip the judge decided: its own `gpu` skip, or a grader's `pytest.skip` for a package missing on the
    judge's machine. Never one that came from the student's process, an xfail, or unittest's SkipTest."""
    if item.stash.get(JUDGE_SKIPPED, False):
        return True
    error = call.excinfo.value if call.excinfo is not None else None
    if type(error) is not pytest.skip.Exception or hasattr(report, "wasxfail"):
        return False
    return not any(hasattr(link, "ptgrade") for link in outcomes.chain(error))


@pytest.fixture(scope="module")
def impl(request) -> remote.RemoteImplementation:
    """The implementation under test, in its sandboxed process: the student's module, a solution, a
    mutant or a notebook's exported code."""
    grading: _Grading = request.config.pluginmanager.get_plugin("ptgrade-grading")
    from ptgrade.judge import remote
    key = getattr(request, "param", None)
    if key is None:
        path = grading.impl_path(request.node)
        yield remote.RemoteImplementation(grading.workers.connection(path), path)
        return
    yield remote.RemoteImplementation(grading.planned_connection(key), grading.plan[key].path)
    grading.finish(key, request)


@pytest.fixture(scope="session")
def run_seed() -> int:
    """A seed the judge draws for this run (or $PTGRADE_RUN_SEED, to reproduce one): for data whose recipe
    the student can read in graders/ but whose draw it cannot know, such as inputs a trained model is judged
    on, sent to the student's process only after training. Checks that use it keep a margin that holds for
    every seed (the kit's tests try several)."""
    given = settings.current().run_seed
    if given is not None:
        return given
    import secrets
    return secrets.randbelow(2 ** 31 - 1) + 1


def private_dir() -> Path:
    """A new folder of the judge's own, which no student's process sees (removed when the judge ends)."""
    if _GRADING:
        return _GRADING[0].files.private_dir()
    folder = Path(tempfile.mkdtemp(prefix="ptgrade-private-"))  # plain pytest, no judge session
    os.chmod(folder, 0o700)
    return folder


@pytest.fixture
def student_path(request) -> Path:
    """A new, empty folder the student's code may write into. Read what it wrote with
    graders/support/student_files.py, never by opening its paths directly."""
    grading: _Grading = request.config.pluginmanager.get_plugin("ptgrade-grading")
    return grading.files.student_dir(request.node.originalname or request.node.name)


class StudentPathFactory:
    """`student_path` for fixtures of a wider scope: `mktemp(name)` is a new folder the student's code may write."""

    def __init__(self, grading: _Grading):
        self._grading = grading

    def mktemp(self, name: str) -> Path:
        return self._grading.files.student_dir(name)


@pytest.fixture(scope="session")
def student_path_factory(request) -> StudentPathFactory:
    return StudentPathFactory(request.config.pluginmanager.get_plugin("ptgrade-grading"))


@pytest.fixture(scope="module")
def clean_impl(request, impl) -> remote.RemoteImplementation:
    """A second sandboxed process that imports no student code, for running what the student's code wrote (a
    TorchScript archive handed over as bytes) with nothing of the student's process able to answer for it. Call
    observations with it as with `impl`; what it runs is still the student's artefact, so its outputs are compared in
    the judge with what the judge computes itself."""
    grading: _Grading = request.config.pluginmanager.get_plugin("ptgrade-grading")
    from ptgrade.judge import remote
    key = id(impl._ptgrade_connection)  # one clean process per student's process
    yield remote.RemoteImplementation(grading.workers.clean(key, grading.current), CLEAN_MODULE)
    grading.workers.end(("clean", key))


@pytest.fixture
def device(request):
    """The device checks run on: --ptgrade-device, where `auto` means CUDA when present."""
    import torch
    choice = request.config.getoption("ptgrade_device")
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(choice)
