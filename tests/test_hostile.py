"""Hostile submissions: each tries to forge a grade, read an answer, hang, or damage the kit or
another student, and each must earn what its real work deserves (here: nothing), end in bounded
time, and leave every file it does not own unchanged.

Most submissions compute `x * 2` (the right answer to the mini kit's `double`) only when their
attack succeeds and `x * 3` otherwise, so a failed check proves the attack did not work.
"""
from __future__ import annotations

import hashlib
import socket
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from ptgrade import batch, runner, sandbox

KIT_ROOT = Path(__file__).resolve().parent.parent
needs_namespaces = pytest.mark.skipif(not sandbox.bwrap(), reason="bubblewrap cannot make namespaces here")


def grade(kit, source: str, standby: bool = False, **kwargs):
    """Grade `source`; without a `square` of its own it gets a wrong one. With `standby`, through a judge
    started before the file was saved, as `ptgrade watch` grades."""
    source = textwrap.dedent(source)
    if "def square" not in source:
        source += WRONG_SQUARE
    if standby:
        path = kit.submission("")  # the judge loads before the save, as in watch
        waiting = runner.Standby(kit.manifest, kit.item, path, **kwargs)
        path.write_text(source)
        return waiting.grade()
    return runner.grade(kit.manifest, kit.item, kit.submission(source), **kwargs)


def outcomes(result):
    return {check.name: check.outcome for check in result.checks}


def earned_nothing(result) -> bool:
    return result.score == 0 and not result.problem and all(c.outcome != "passed" for c in result.checks)


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


WRONG_SQUARE = "\ndef square(x):\n    return x * 0\n"


# -- forged results -----------------------------------------------------------------------------
def test_calling_the_plugins_sender_and_exiting_earns_nothing(kit):
    result = grade(kit, """
        import os
        from ptgrade import plugin
        for name in ("test_double_doubles", "test_square_gradient", "test_double_on_cuda"):
            plugin._send("result", name=name, outcome="passed", message="")
        def double(x):
            os._exit(0)
        def square(x):
            os._exit(0)
    """)
    assert earned_nothing(result) and outcomes(result)["test_double_on_cuda"] == "skipped"


@pytest.mark.parametrize("standby", [False, True], ids=["cold", "standby"])
def test_writing_forged_events_to_every_inherited_fd_earns_nothing(kit, standby):
    # A standby judge also holds the pipe it is released through: the worker must not see it either.
    result = grade(kit, standby=standby, source="""
        import json, os
        def _flood():
            nonce = ""
            try:  # the process's startup environment, where an old channel's nonce once was
                for entry in open("/proc/self/environ", "rb").read().split(b"\\0"):
                    if entry.startswith(b"PTGRADE_NONCE="):
                        nonce = entry.split(b"=", 1)[1].decode()
            except OSError:
                pass
            for fd in map(int, os.listdir("/proc/self/fd")):
                for name in ("test_double_doubles", "test_square_gradient", "test_double_on_cuda"):
                    line = json.dumps({"nonce": nonce, "event": "result", "name": name, "outcome": "passed",
                                       "message": ""}) + "\\n"
                    try:
                        os.write(fd, line.encode())
                    except OSError:
                        pass
        def double(x):
            _flood()
            return x * 3
        def square(x):
            _flood()
            return x * 0
    """)
    assert earned_nothing(result)


@needs_namespaces
def test_other_processes_cannot_be_seen_through_proc(kit):
    result = grade(kit, """
        import os
        def _judge_visible():
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if b"ptgrade.plugin" in open(f"/proc/{pid}/cmdline", "rb").read():  # the judge
                        return True
                except OSError:
                    pass
            return False
        def double(x):
            return x * (2 if _judge_visible() else 3)
    """)
    assert outcomes(result)["test_double_doubles"] == "failed"


# -- verdicts and answers inside the process --------------------------------------------------------
def test_patching_pytest_torch_and_the_graders_helpers_earns_nothing(kit):
    result = grade(kit, """
        import sys, gc, torch
        import _pytest.reports, _pytest.runner
        _pytest.reports.BaseReport.passed = property(lambda self: True)
        _pytest.runner.call_and_report = lambda *a, **k: None
        torch.testing.assert_close = lambda *a, **k: None
        torch.Tensor.__ne__ = lambda self, other: torch.zeros_like(self, dtype=torch.bool)
        try:
            import graders.support.assertions as a
            a.check = a.assert_tensor = lambda *args, **kwargs: None
        except ImportError:
            pass
        for obj in gc.get_objects():  # any collected pytest item: make its test a no-op
            if type(obj).__name__ == "Function" and hasattr(obj, "obj"):
                obj.obj = lambda *a, **k: None
        sys.settrace(lambda *a: None)
        def double(x):
            return x * 3
    """)
    assert earned_nothing(result)


def test_reading_expected_values_from_the_callers_frames_finds_none(kit):
    result = grade(kit, """
        import sys, torch
        def _steal():
            frame = sys._getframe(1)
            while frame is not None:
                for value in frame.f_locals.values():
                    if isinstance(value, torch.Tensor) and value.shape == (3,) and bool((value == 2).all()):
                        return value
                frame = frame.f_back
            return None
        def double(x):
            found = _steal()
            return found.clone() if found is not None else x * 3
    """)
    assert outcomes(result)["test_double_doubles"] == "failed"


def test_the_reference_solution_cannot_be_imported_or_read(kit):
    solution = kit.root / "solutions" / "s1_1_demo.py"
    result = grade(kit, f"""
        import importlib, sys
        def _reference():
            for attempt in (lambda: importlib.import_module("solutions.s1_1_demo"),
                            lambda: open({str(solution)!r}).read()):
                try:
                    return attempt()
                except Exception:
                    pass
            return None
        def double(x):
            return x * (2 if _reference() is not None else 3)
    """)
    assert outcomes(result)["test_double_doubles"] == "failed"


# -- damage -----------------------------------------------------------------------------------------
def test_the_kit_and_the_real_engine_cannot_be_written(kit):
    before_kit, before_engine = fingerprint(kit.root / "graders"), fingerprint(KIT_ROOT / "ptgrade")
    targets = [kit.root / "graders" / "test_s1_1_demo.py", kit.root / "curriculum.toml",
               KIT_ROOT / "ptgrade" / "outcomes.py"]
    result = grade(kit, f"""
        import pathlib
        def _damage():
            done = False
            for target in {[str(t) for t in targets]!r}:
                try:
                    pathlib.Path(target).write_text("raise SystemExit  # every later run passes")
                    done = True
                except OSError:
                    pass
            try:  # the kit's copy the worker imports from
                import ptgrade.outcomes as o
                pathlib.Path(o.__file__).write_text("")
                done = True
            except OSError:
                pass
            return done
        def double(x):
            return x * (2 if _damage() else 3)
    """)
    assert outcomes(result)["test_double_doubles"] == "failed"
    assert fingerprint(kit.root / "graders") == before_kit and fingerprint(KIT_ROOT / "ptgrade") == before_engine
    # And the next honest run is graded as before.
    assert runner.grade(kit.manifest, kit.item, kit.root / "solutions" / "s1_1_demo.py").score == 3


@needs_namespaces
def test_no_network(kit):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        result = grade(kit, f"""
            import socket
            def _reach():
                try:
                    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
                    return True
                except OSError:
                    return False
            def double(x):
                return x * (2 if _reach() else 3)
        """)
    finally:
        server.close()
    assert outcomes(result)["test_double_doubles"] == "failed"


# -- hangs --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("trap", [
    # a forked grandchild that keeps every inherited pipe open
    "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(3600)\n",
    # an exit hook that never returns
    "import atexit, time\natexit.register(time.sleep, 3600)\n",
    # a thread that keeps printing
    "import threading\nthreading.Thread(target=lambda: [print('x' * 1000) for _ in iter(int, 1)], daemon=True).start()\n",
])
def test_processes_left_behind_do_not_hold_the_run(quick_kit, trap):
    started = time.monotonic()
    result = grade(quick_kit, trap + "\ndef double(x):\n    return x * 3\n")
    assert time.monotonic() - started < 180
    assert earned_nothing(result)


def test_a_hang_swallowing_every_exception_costs_one_check_and_the_run_ends(quick_kit):
    started = time.monotonic()
    result = grade(quick_kit, """
        def double(x):
            while True:
                try:
                    while True:
                        pass
                except BaseException:
                    pass
        def square(x):
            return x ** 2
    """)
    assert time.monotonic() - started < 180
    assert outcomes(result) == {"test_double_doubles": "error", "test_square_gradient": "passed",
                                "test_double_on_cuda": "skipped"}
    assert "timed out after 5 s" in result.checks[0].message


# -- resources ------------------------------------------------------------------------------------
def test_memory_beyond_the_limit_is_named(kit):
    result = grade(kit, f"""
        import torch
        def double(x):
            hog = torch.ones({int(sandbox.memory_limit_gib() + 1)} * 1024 ** 3, dtype=torch.uint8)
            return x * 2 + hog[0] - 1
    """)
    check = result.checks[0]
    assert check.outcome == "error" and f"more than {sandbox.memory_limit_gib():g} GiB" in check.message


def test_a_flood_of_output_is_not_read_whole(kit):
    result = grade(kit, """
        import sys
        def double(x):
            chunk = "y" * (1 << 20)
            for _ in range(300):  # 300 MB
                sys.stdout.write(chunk)
            return x * 3
    """)
    assert earned_nothing(result)


def test_a_fork_bomb_is_stopped_by_the_process_limit(quick_kit):
    started = time.monotonic()
    result = grade(quick_kit, """
        import os
        def double(x):
            children = 0
            try:
                for _ in range(100000):
                    if os.fork() == 0:
                        import time
                        time.sleep(3600)
                    children += 1
            except OSError:
                pass
            return x * 3
    """)
    assert time.monotonic() - started < 180 and earned_nothing(result)


# -- batch grading ----------------------------------------------------------------------------------
@pytest.mark.slow  # over 20 s: a class batch of hostile and honest students
def test_one_student_cannot_touch_another_or_the_grades(kit, tmp_path):
    submissions = tmp_path / "submissions"
    honest = submissions / "honest" / "s1_1_demo.py"
    honest.parent.mkdir(parents=True)
    honest.write_text("def double(x):\n    return x * 2\n\ndef square(x):\n    return x ** 2\n")
    out_csv = tmp_path / "out" / "grades.csv"
    attacker = submissions / "attacker" / "s1_1_demo.py"
    attacker.parent.mkdir()
    attacker.write_text(f"""
import os, pathlib, shutil
def _attack():
    for target, text in (({str(honest)!r}, "def double(x):\\n    return x\\n"),
                         ({str(out_csv)!r}, "student,1.1,total\\nattacker,3,3\\n")):
        try:
            pathlib.Path(target).write_text(text)
        except OSError:
            pass
    try:
        shutil.copy({str(honest)!r}, "stolen.py")
    except OSError:
        pass
    if os.fork() == 0:  # a detached process that would rewrite the grades after ptgrade exits
        os.setsid()
        import time
        time.sleep(8)
        try:
            pathlib.Path({str(out_csv)!r}).write_text("student,1.1,total\\nattacker,3,3\\n")
        except OSError:
            pass
        os._exit(0)
def double(x):
    _attack()
    return x * 3
def square(x):
    return x * 0
""")
    honest_before = honest.read_text()
    grades = batch.run(kit.manifest, submissions, out_csv, jobs=2)
    time.sleep(10)  # longer than the detached process waits
    assert honest.read_text() == honest_before
    assert grades["honest"][0].score == 3 and grades["attacker"][0].score == 0
    rows = out_csv.read_text().splitlines()
    assert rows[1:] == ["attacker,0,0", "honest,3,3"]


def test_a_zip_bomb_is_refused_without_being_read(kit, tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    with zipfile.ZipFile(submissions / "bomber.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("s1_1_demo.py", "w", force_zip64=True) as member:
            chunk = b"#" * (1 << 20)
            for _ in range(300):  # 300 MB of comment, a few hundred KB compressed
                member.write(chunk)
    grades = batch.run(kit.manifest, submissions, tmp_path / "grades.csv", jobs=1)
    assert "too large" in grades["bomber"][0].problem


def test_students_graded_from_one_warm_zygote_find_nothing_of_each_other(kit, tmp_path):
    """`grade` forks every student's worker from one warm process: what one student leaves (files in every
    folder it can write, a detached process, a System V segment) is gone before the next student's file
    is even copied in; nobody sees another's file; and killing the zygote costs the next student nothing."""
    if not sandbox.bwrap():
        pytest.skip("needs bubblewrap: without a pid namespace the zygote cannot find a detached process")
    submissions = tmp_path / "submissions"
    planter = """
import ctypes, os, pathlib, time
for folder in ("/tmp", os.environ["HOME"], ".", "/dev/shm"):
    try:
        pathlib.Path(folder, "planted").write_text("from a")
    except OSError:
        pass
ctypes.CDLL(None).shmget(4242, 4096, 0o1000 | 0o666)  # IPC_CREAT
if os.fork() == 0:
    os.setsid()
    time.sleep(600)
    os._exit(0)
def double(x):
    return x * 2
def square(x):
    return x ** 2
"""
    looker = """
import ctypes, os, pathlib
def _traces():
    found = [f for f in ("/tmp", os.environ["HOME"], ".", "/dev/shm") if pathlib.Path(f, "planted").exists()]
    if ctypes.CDLL(None).shmget(4242, 0, 0) != -1:
        found.append("shm")
    others = {int(p) for p in os.listdir("/proc") if p.isdigit()} - {1, os.getpid(), os.getppid()}
    if others:
        found.append("process")
    if os.listdir(pathlib.Path(__file__).resolve().parent.parent) != [pathlib.Path(__file__).resolve().parent.name]:
        found.append("another student's folder")
    return found
def double(x):
    found = _traces()
    if found:  # named in the failure, so a leak says what leaked
        raise ValueError('found ' + ', '.join(found))
    return x * 2
def square(x):
    return x ** 2
"""
    killer = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
    honest = "def double(x):\n    return x * 2\n\ndef square(x):\n    return x ** 2\n"
    for name, code in (("a_planter", planter), ("b_looker", looker), ("c_killer", killer), ("d_honest", honest)):
        (submissions / name).mkdir(parents=True)
        (submissions / name / "s1_1_demo.py").write_text(code)
    grades = batch.run(kit.manifest, submissions, tmp_path / "grades.csv", jobs=1)
    assert grades["a_planter"][0].score == 3
    assert grades["b_looker"][0].score == 3, grades["b_looker"][0].checks[0].message
    assert grades["c_killer"][0].score == 0
    assert grades["d_honest"][0].score == 3, [c.message for c in grades["d_honest"][0].checks]


def test_a_student_cannot_spoil_data_the_grader_made_once_for_the_next_student(kit, tmp_path):
    """A grader's module fixture (5.1's CIFAR archive) lives where workers can write. When one judge grades many
    students, it is made afresh for each student, so one who rewrites it changes nobody else's grade."""
    kit.write("graders/test_s1_1_demo.py", '''
import pytest
from graders.support.assertions import check


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "factor.txt"
    path.write_text("2")
    return path


@pytest.mark.points(1)
@pytest.mark.numerics
def test_reads_the_factor(impl, data):
    check(impl.read_factor(str(data)) == 2, "read_factor should read 2")


@pytest.mark.points(1)
@pytest.mark.numerics
def test_reads_it_again(impl, data):
    check(impl.read_factor(str(data)) == 2, "read_factor should read 2 again")
''')
    submissions = tmp_path / "submissions"
    spoiler = "def read_factor(path):\n    open(path, 'w').write('3')\n    return 2 if open(path).read() == '3' else 0\n"
    honest = "def read_factor(path):\n    return int(open(path).read())\n"
    for name, code in (("a_spoiler", spoiler), ("b_honest", honest)):
        (submissions / name).mkdir(parents=True)
        (submissions / name / "s1_1_demo.py").write_text(code)
    grades = batch.run(kit.manifest, submissions, tmp_path / "grades.csv", jobs=1)
    assert grades["a_spoiler"][0].score == 2  # it did rewrite the grader's file
    assert grades["b_honest"][0].score == 2, [c.message for c in grades["b_honest"][0].checks]
