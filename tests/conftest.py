"""Fixtures for testing the kit itself: a miniature kit in a temporary folder, so every outcome and
every kind of bad input can be produced on purpose without touching the real curriculum."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ptgrade.course import manifest as manifest_module
from ptgrade.host import warm_judges

KIT_ROOT = Path(__file__).resolve().parent.parent

MINI_MANIFEST = """
[[section]]
id = "1"
title = "Basics"
title_ko = "기본"

[[item]]
id = "1.1"
slug = "demo"
title = "Demo"
title_ko = "데모"
timeout = {timeout}
hints = ["First hint.", "Second hint.", "Third hint."]
hints_ko = ["첫째 힌트입니다.", "둘째 힌트입니다.", "셋째 힌트입니다."]
answer = ["return 2 * x"]

[[item]]
id = "1.2"
slug = "later"
title = "Later"
title_ko = "나중"
available = false
"""

MINI_GRADER = '''
import pytest
import torch

from graders.support.assertions import assert_tensor


@pytest.mark.points(2)
@pytest.mark.numerics
def test_double_doubles(impl):
    assert_tensor(impl.double(torch.ones(3)), torch.full((3,), 2.0), "double(torch.ones(3))",
                  hint="multiply by two")


@pytest.mark.points(1)
@pytest.mark.gradients
def test_square_gradient(impl):
    x = torch.tensor([3.0], requires_grad=True)
    impl.square(x).sum().backward()
    assert_tensor(x.grad, torch.tensor([6.0]), "the gradient of square at 3")


@pytest.mark.points(1)
@pytest.mark.gpu
@pytest.mark.device
def test_double_on_cuda(impl):
    assert_tensor(impl.double(torch.ones(2, device="cuda")), torch.full((2,), 2.0, device="cuda"), "on cuda")
'''

SOLUTION = '''
def double(x):
    return x * 2


def square(x):
    return x ** 2
'''

STUB = '''
def double(x):
    """Return 2 * x."""
    raise NotImplementedError("double")


def square(x):
    """Return x squared."""
    raise NotImplementedError("square")
'''


class MiniKit:
    def __init__(self, root: Path, timeout: int):
        self.root = root
        (root / "graders" / "support").mkdir(parents=True)
        for name in ("__init__.py", "assertions.py", "words.py", "student_files.py"):
            shutil.copy(KIT_ROOT / "graders" / "support" / name, root / "graders" / "support" / name)
        (root / "graders" / "__init__.py").write_text("")
        (root / "curriculum.toml").write_text(MINI_MANIFEST.format(timeout=timeout), encoding="utf-8")
        (root / "graders" / "test_s1_1_demo.py").write_text(MINI_GRADER)
        for folder in ("exercises", "solutions", "solutions/mutants/s1_1_demo"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        (root / "exercises" / "s1_1_demo.py").write_text(STUB)
        (root / "exercises" / "ko").mkdir()
        (root / "exercises" / "ko" / "s1_1_demo.py").write_text(
            STUB.replace("Return 2 * x.", "2 * x를 반환합니다.").replace("Return x squared.", "x의 제곱을 반환합니다."),
            encoding="utf-8")
        (root / "solutions" / "s1_1_demo.py").write_text(SOLUTION)
        self.manifest = manifest_module.load(root)
        self.item = self.manifest.item("1.1")

    def write(self, relative: str, source: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    def submission(self, source: str) -> Path:
        """A student's copy of the item's file, in its own folder laid out like exercises/."""
        return self.write("submission/s1_1_demo.py", source)

    def cli(self, *args: str, input_env: dict | None = None) -> subprocess.CompletedProcess:
        env = {**__import__("os").environ, "PTGRADE_ROOT": str(self.root),
               "PTGRADE_STATE": str(self.root / "state.json"), **(input_env or {})}
        return subprocess.run([sys.executable, str(KIT_ROOT / "cli.py"), *args], capture_output=True,
                              text=True, env=env, cwd=self.root, stdin=subprocess.DEVNULL, timeout=300)


@pytest.fixture
def kit(tmp_path) -> MiniKit:
    kit = MiniKit(tmp_path / "kit", timeout=60)
    yield kit
    warm_judges.close(kit.manifest.root)  # started by a `verify`, `mutate` or a collection of this kit, if any


@pytest.fixture
def quick_kit(tmp_path) -> MiniKit:
    """A kit whose checks time out after 5 s, for hang tests."""
    kit = MiniKit(tmp_path / "kit", timeout=5)
    yield kit
    warm_judges.close(kit.manifest.root)


# -- slowness, from measurement ------------------------------------------------------------------------------------
# tests/durations.json holds each test's seconds (setup, call and teardown) in an idle full run on 2 cores, written by
# `python -m pytest -n 2 --record-durations`. A test that took longer than SLOW_SECONDS is marked `slow`, so
# `-m "not slow"` (the quick command) leaves it out; a test not measured yet counts as quick.
# A module- or session-scoped fixture is paid by whichever of its tests runs first, so its own setup is recorded
# too ("fixture <scope node>::<name>"): every test that uses a slow one is slow, whichever paid it in the run measured.
DURATIONS = Path(__file__).with_name("durations.json")
SLOW_SECONDS = 4.0
FIXTURE_KEY = "fixture "
_FIXTURES = pytest.StashKey[list]()  # the shared fixtures set up during the current test's setup, with their seconds
_measured: dict[str, float] = {}


def pytest_configure(config):
    """The kit's tests never read or write the developer's own progress file (its remembered `--lang` would turn
    every English expectation Korean): each test process gets an empty one of its own, unless a test sets one."""
    import os
    import tempfile
    os.environ["PTGRADE_STATE"] = str(Path(tempfile.mkdtemp(prefix="ptgrade-test-state-")) / "state.json")


def pytest_addoption(parser):
    parser.addoption("--record-durations", action="store_true",
                     help="write each test's measured seconds into tests/durations.json (run the full suite idle)")


def _shared_fixture_keys(item) -> list[str]:
    """The keys a test's module- and session-scoped fixtures are recorded under (their scope's node id)."""
    module = item.nodeid.split("::")[0]
    return [f"{FIXTURE_KEY}{scope}::{name}" for name in item.fixturenames for scope in (module, "")]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    import json
    durations = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.is_file() else {}
    for item in items:
        seconds = [durations.get(item.nodeid, 0.0)] + [durations.get(key, 0.0) for key in _shared_fixture_keys(item)]
        if max(seconds) > SLOW_SECONDS:
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    import time
    start = time.perf_counter()
    yield
    if fixturedef.scope in ("module", "session"):  # carried to the controller with the test's setup report
        key = f"{FIXTURE_KEY}{request.node.nodeid}::{fixturedef.argname}"
        request.node.session.config.stash.setdefault(_FIXTURES, []).append((key, time.perf_counter() - start))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield
    for key, seconds in item.config.stash.get(_FIXTURES, []):
        item.user_properties.append((key, seconds))
    item.config.stash[_FIXTURES] = []


def pytest_runtest_logreport(report):
    _measured[report.nodeid] = _measured.get(report.nodeid, 0.0) + report.duration
    if report.when == "setup":
        for key, seconds in report.user_properties:
            if key.startswith(FIXTURE_KEY):
                _measured[key] = max(_measured.get(key, 0.0), seconds)


def pytest_sessionfinish(session):
    if not session.config.getoption("--record-durations") or hasattr(session.config, "workerinput"):
        return  # recorded once, by the controller that saw every test's report
    import json
    old = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.is_file() else {}
    old.update({nodeid: round(seconds, 1) for nodeid, seconds in _measured.items()})
    DURATIONS.write_text(json.dumps(dict(sorted(old.items())), indent=0) + "\n", encoding="utf-8")
