"""Hostile submissions: each tries to forge a grade, read an answer, hang, or damage the kit or
another student, and each must earn what its real work deserves (here: nothing), end in bounded
time, and leave every file it does not own unchanged.

Most submissions compute `x * 2` (the right answer to the mini kit's `double`) only when their
attack succeeds and `x * 3` otherwise, so a failed check proves the attack did not work.
"""
from __future__ import annotations

import hashlib
import os
import socket
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from ptgrade import sandbox
from ptgrade.host import runner
from ptgrade.instructor import batch

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


def grade_class(kit, folder: Path, students: dict[str, str]) -> dict:
    """`ptgrade grade` of a class: each student's source as their s1_1_demo.py, graded one after another."""
    for name, code in students.items():
        (folder / name).mkdir(parents=True)
        (folder / name / "s1_1_demo.py").write_text(code)
    return batch.run(kit.manifest, folder, folder.parent / "grades.csv", jobs=1)


# -- forged results -----------------------------------------------------------------------------
def test_calling_the_plugins_sender_and_exiting_earns_nothing(kit):
    result = grade(kit, """
        import os
        from ptgrade.judge import plugin
        from ptgrade.protocol import contract
        for name in ("test_double_doubles", "test_square_gradient", "test_double_on_cuda"):
            plugin._send(contract.Finished(name, None, "passed"))
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
                    if b"ptgrade.judge.plugin" in open(f"/proc/{pid}/cmdline", "rb").read():  # the judge
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
               KIT_ROOT / "ptgrade" / "judge" / "outcomes.py"]
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
                import ptgrade.protocol.results as o
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


def test_no_check_and_no_judge_code_is_on_the_workers_disk(kit):
    """The worker's copy of the kit holds what it imports (the protocol, the worker, the items' data, the graders'
    observations and support), never a check module, the judge or the host: nothing there to read expected values
    or verdict logic from, or to patch."""
    kit.write("graders/observations/__init__.py", "")
    kit.write("graders/observations/s1_1_demo.py", "X = 1\n")
    result = grade(kit, """
        import importlib.util
        def there(name):
            try:
                return importlib.util.find_spec(name) is not None
            except ModuleNotFoundError:  # its package is not there either
                return False
        FOUND = [name for name in ("graders.test_s1_1_demo", "ptgrade.judge.plugin", "ptgrade.judge.outcomes",
                                   "ptgrade.host.runner", "ptgrade.instructor.verify", "solutions") if there(name)]
        HERE = [name for name in ("ptgrade.protocol.wire", "graders.observations.s1_1_demo", "graders.support.words")
                if there(name)]
        def double(x):
            return x * (2 if not FOUND and len(HERE) == 3 else 3)
        def square(x):
            return x ** 2
    """)
    assert outcomes(result)["test_double_doubles"] == "passed", result.checks[0].message


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
    "import threading\n"
    "threading.Thread(target=lambda: [print('x' * 1000) for _ in iter(int, 1)], daemon=True).start()\n",
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
    grades = grade_class(kit, submissions, {"a_planter": planter, "b_looker": looker, "c_killer": killer,
                                            "d_honest": honest})
    assert grades["a_planter"][0].score == 3
    assert grades["b_looker"][0].score == 3, grades["b_looker"][0].checks[0].message
    assert grades["c_killer"][0].score == 0
    assert grades["d_honest"][0].score == 3, [c.message for c in grades["d_honest"][0].checks]


def test_a_student_cannot_spoil_data_the_grader_made_once_for_the_next_student(kit, tmp_path):
    """A grader's module fixture (5.1's CIFAR archive) lives in the judge's folders, which the student's process
    sees read-only; and when one judge grades many students it is made afresh for each, in a new folder."""
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
    spoiler = ("def read_factor(path):\n    open(path, 'w').write('3')\n"
               "    return 2 if open(path).read() == '3' else 0\n")
    honest = "def read_factor(path):\n    return int(open(path).read())\n"
    grades = grade_class(kit, submissions, {"a_spoiler": spoiler, "b_honest": honest})
    assert grades["a_spoiler"][0].score == 0  # the grader's data are read-only to its process: open(path, 'w') raised
    assert grades["b_honest"][0].score == 2, [c.message for c in grades["b_honest"][0].checks]


# -- trust, part 2: the judge believes nothing that crosses the boundary ------------------------------------
INPUTS_GRADER = '''
import pytest
import torch

from graders.support.assertions import assert_tensor

FACTORS = torch.arange(1.0, 4.0)  # module data: the same tensor for every student a judge grades


@pytest.mark.points(2)
@pytest.mark.numerics
def test_double_doubles(impl):
    x = torch.arange(3.0)
    assert_tensor(impl.double(x), x * 2, "double(x) for x = [0, 1, 2]")


@pytest.mark.points(1)
@pytest.mark.numerics
def test_double_doubles_the_factors(impl):
    assert_tensor(impl.double(FACTORS), FACTORS * 2, "double(FACTORS)")
'''


def test_a_function_that_rewrites_its_inputs_cannot_change_the_expected_value(kit, tmp_path):
    """Class 1: the expected value is computed from the judge's own tensors, which no call writes; in a batch,
    one student rewriting the grader's module data changes nothing for the next."""
    kit.write("graders/test_s1_1_demo.py", INPUTS_GRADER)
    rewriter = "def double(x):\n    x.zero_()\n    return x\n"  # 0 == x * 2 only if x were rewritten in the judge
    assert earned_nothing(grade(kit, rewriter))
    submissions = tmp_path / "submissions"
    grades = grade_class(kit, submissions, {"a_rewriter": rewriter, "b_honest": "def double(x):\n    return x * 2\n"})
    assert grades["a_rewriter"][0].score == 0
    assert grades["b_honest"][0].score == 3, [c.message for c in grades["b_honest"][0].checks]


@pytest.mark.parametrize("claimed", [
    "unittest.case.SkipTest", "_pytest.outcomes.Skipped", "_pytest.outcomes.XFailed", "_pytest.outcomes.Exit",
    "numpy.testing.SkipTest", "builtins.KeyboardInterrupt", "builtins.AssertionError"])
def test_an_exception_that_claims_a_class_that_steers_pytest_is_a_failure(kit, claimed):
    """Class 2: the student's process writes the description of what it raised, class names included."""
    result = grade(kit, f"""
        import unittest
        from ptgrade.worker import loader
        _describe = loader.describe_error
        def _claim(error, path):
            info = _describe(error, path)
            info["mro"] = [{claimed!r}, "builtins.BaseException"]
            info["type"] = {claimed!r}.rpartition(".")[2]
            return info
        loader.describe_error = _claim
        def double(x):
            raise unittest.SkipTest("nothing to grade")
        def square(x):
            raise unittest.SkipTest("nothing to grade")
    """)
    assert earned_nothing(result)
    assert outcomes(result) == {"test_double_doubles": "error", "test_square_gradient": "error",
                                "test_double_on_cuda": "skipped"}  # only the judge's own reason skips


BOMBS = {
    # torch.save's records, deflated: 64 MB of zeros in a message of about 65 KB
    "a compressed record": '''
        import io, zipfile, torch
        from ptgrade.protocol import wire
        def _bomb(value):
            plain = zipfile.ZipFile(io.BytesIO(_save({"ok": True, "value": torch.zeros(16 * 1024 ** 2)})))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for info in plain.infolist():
                    archive.writestr(info.filename, plain.read(info))
            return out.getvalue()
        _save = wire.dump
        wire.dump = _bomb
    ''',
    # a pickle of 2**60 leaves in about 1.5 KB: shared references the judge would walk as a tree
    "shared references": '''
        import io, pickle, torch
        from ptgrade.protocol import wire
        def _bomb(value):
            nested = [1.0]
            for _ in range(60):
                nested = [nested, nested]
            buffer = io.BytesIO()
            torch.save({"ok": True, "value": nested, "args": []}, buffer)
            return buffer.getvalue()
        wire.dump = _bomb
    ''',
    # one number viewed as 10**12 of them (stride 0): a few bytes that describe 4 TB
    "a zero-stride view": '''
        import torch
        from ptgrade.protocol import wire
        _save = wire.dump
        def _bomb(value):
            return _save({"ok": True, "value": torch.zeros(1).expand(10 ** 12), "args": []})
        wire.dump = _bomb
    ''',
}


@pytest.mark.parametrize("bomb", list(BOMBS), ids=list(BOMBS))
def test_a_message_that_would_inflate_in_the_judge_is_refused_unread(kit, bomb):
    """Class 4: the judge checks a message's records and what it describes before it builds anything."""
    started = time.monotonic()
    result = grade(kit, textwrap.dedent(BOMBS[bomb]) + "\ndef double(x):\n    return x * 2\n")
    assert time.monotonic() - started < 120
    assert earned_nothing(result)
    assert "cannot read" in result.checks[0].message, result.checks[0].message


LINK_GRADER = '''
import pytest

from graders.support import student_files
from graders.support.assertions import check


@pytest.mark.points(1)
@pytest.mark.numerics
def test_report_is_written(impl, student_path):
    impl.write_report(str(student_path / "report.txt"))
    text = student_files.read_text(student_path / "report.txt", student_path)
    check(text == "done", f"report.txt should say 'done', got {text!r}")
'''


def test_a_planted_link_never_shows_a_host_file_in_feedback(kit, tmp_path):
    """Class 5: what the student's code writes is read only as a regular file inside its own folder."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    os.chmod(secret, 0o600)
    kit.write("graders/test_s1_1_demo.py", LINK_GRADER)
    for planted in (f"os.symlink({str(secret)!r}, path)",
                    f"os.makedirs(path + '.d'); os.symlink({str(tmp_path)!r}, path + '.d/up'); "
                    f"os.symlink(os.path.basename(path) + '.d/up/secret.txt', path)",
                    "os.mkfifo(path)"):
        result = grade(kit, f"import os\ndef write_report(path):\n    {planted}\n")
        assert earned_nothing(result), planted
        assert "TOP-SECRET" not in result.checks[0].message
        assert "not a regular file" in result.checks[0].message, result.checks[0].message


def test_links_planted_for_the_judge_to_follow_delete_nothing_outside_the_run(kit, tmp_path):
    """Class 5: the judge empties the folders a student could write without following a link, its own
    temporary data is read-only to the student's process, and the next student finds none of it."""
    victim = tmp_path / "host_folder"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    kit.write("graders/test_s1_1_demo.py", LINK_GRADER + '''

@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "factor.txt"
    path.write_text("2")
    return path


@pytest.mark.points(1)
@pytest.mark.numerics
def test_reads_the_factor(impl, data):
    check(impl.read_factor(str(data)) == 2, "read_factor should read 2")
''')
    planter = f"""
import os, pathlib
def write_report(path):
    folder = pathlib.Path(path).parent
    for target in (folder, folder.parent):  # its own folder, and the judge's folder of student folders
        for name in ("planted", "pytest", "0", "victim"):
            try:
                os.symlink({str(victim)!r}, target / name)
            except OSError:
                pass
    open(path, "w").write("done")
def read_factor(path):
    for attempt in (lambda: open(path, "w").write("3"),
                    lambda: os.replace(path, path + ".old"),
                    lambda: os.symlink({str(victim)!r}, pathlib.Path(path).parent.parent / "planted")):
        try:
            attempt()
        except OSError:
            pass
    return int(open(path).read())
"""
    looker = """
import os, pathlib
def write_report(path):
    folder = pathlib.Path(path).parent
    seen = [p.name for p in folder.parent.iterdir() if p != folder]
    open(path, "w").write("done" if not seen else "found " + ",".join(seen))
def read_factor(path):
    return int(open(path).read())
"""
    submissions = tmp_path / "submissions"
    grades = grade_class(kit, submissions, {"a_planter": planter, "b_looker": looker})
    assert (victim / "precious.txt").read_text() == "keep me"
    assert grades["a_planter"][0].score == 2  # its report and the factor it could not rewrite
    assert grades["b_looker"][0].score == 2, [c.message for c in grades["b_looker"][0].checks]


def test_a_stopped_zygote_costs_a_bounded_wait_and_the_next_student_nothing(kit, tmp_path):
    """Class 6: a child stops (not kills) the warm zygote; the judge's exchange with it has a deadline, and a
    zygote that misses it is killed and replaced."""
    if not sandbox.bwrap():
        pytest.skip("needs bubblewrap: without a pid namespace the zygote is not the child's parent to find")
    submissions = tmp_path / "submissions"
    stopper = "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\ndef double(x):\n    return x * 2\n"
    honest = "def double(x):\n    return x * 2\n\ndef square(x):\n    return x ** 2\n"
    started = time.monotonic()
    grades = grade_class(kit, submissions, {"a_stopper": stopper, "b_honest": honest})
    assert time.monotonic() - started < 180
    assert grades["b_honest"][0].score == 3, [c.message for c in grades["b_honest"][0].checks]


def test_a_judge_dies_with_its_runner(kit, tmp_path):
    """Class 6: a runner killed with SIGKILL takes its judge (and so the student's process) with it."""
    import signal
    import subprocess
    import sys
    marker = f"hang-{os.getpid()}-{time.monotonic_ns()}"
    path = kit.submission(f"# {marker}\nimport time\ndef double(x):\n    time.sleep(600)\n")
    runner_process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from ptgrade.course import manifest; "
         "from ptgrade.host import runner; "
         "m = manifest.load(Path(sys.argv[1])); runner.grade(m, m.item('1.1'), Path(sys.argv[2]))",
         str(kit.root), str(path)], cwd=KIT_ROOT)

    def judges() -> list[int]:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                command = open(f"/proc/{pid}/cmdline", "rb").read()
            except OSError:
                continue
            if b"ptgrade.judge.plugin" in command and str(path).encode() in command:
                found.append(int(pid))
        return found

    deadline = time.monotonic() + 120
    while not judges() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert judges(), "the judge never started"
    time.sleep(3)  # into the hanging check
    runner_process.send_signal(signal.SIGKILL)
    runner_process.wait()
    deadline = time.monotonic() + 10
    while judges() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not judges()


CLEAN_OBSERVATIONS = '''
import io

import torch

from ptgrade.protocol.observation import observation


@observation
def run_archive(impl, payload, x):
    """The TorchScript archive `payload` loaded and called on x (in whichever process `impl` names)."""
    return torch.jit.load(io.BytesIO(payload))(x)
'''

CLEAN_GRADER = '''
import pytest
import torch

from graders.observations.s1_1_demo import run_archive
from graders.support import student_files
from graders.support.assertions import assert_tensor


@pytest.mark.points(1)
@pytest.mark.export
def test_scripted_doubler_doubles(impl, clean_impl, student_path):
    impl.save_doubler(str(student_path / "doubler.pt"))
    payload = student_files.read_bytes(student_path / "doubler.pt", student_path)
    x = torch.arange(3.0)
    assert_tensor(run_archive(clean_impl, payload, x), x * 2, "the saved doubler on [0, 1, 2]")
'''

SCRIPTED = '''
import torch


class _Times(torch.nn.Module):
    def __init__(self, k: float):
        super().__init__()
        self.k = k

    def forward(self, x):
        return x * self.k


def save_doubler(path):
    torch.jit.script(_Times({k})).save(path)
'''


def test_what_the_students_code_wrote_runs_in_a_clean_process(kit):
    """An artefact the student's code wrote (a TorchScript archive) is run in a second sandboxed process that never
    imports student code, so patching torch.jit.load in the student's process answers for nothing."""
    kit.write("graders/observations/__init__.py", "")
    kit.write("graders/observations/s1_1_demo.py", CLEAN_OBSERVATIONS)
    kit.write("graders/test_s1_1_demo.py", CLEAN_GRADER)
    honest = grade(kit, SCRIPTED.format(k=2.0))
    assert honest.score == 1, [c.message for c in honest.checks]
    forger = SCRIPTED.format(k=3.0) + '''
torch.jit.load = lambda *args, **kwargs: (lambda x: x * 2)
'''
    assert earned_nothing(grade(kit, forger))
    grades = grade_class(kit, kit.root / "batch", {"a_forger": forger, "b_honest": SCRIPTED.format(k=2.0)})
    assert grades["a_forger"][0].score == 0 and grades["b_honest"][0].score == 1


GRAD_MODE_LIAR = '''

def evaluate(model, loader):
    """evaluate without torch.no_grad(), telling every caller that autograd is off."""
    torch.is_grad_enabled = lambda: False
    model.eval()
    total, correct, count = 0.0, 0, 0
    for x, y in loader:
        logits = model(x)
        total += F.cross_entropy(logits, y, reduction="sum").item()
        correct += (logits.argmax(dim=1) == y).sum().item()
        count += len(y)
    return total / count, correct / count
'''


def test_a_patched_grad_mode_query_does_not_hide_autograd(tmp_path):
    """The observations read autograd's state through torch's compiled query (graders/support/pristine.py
    `grad_enabled`): a submission that replaces torch.is_grad_enabled still has its forwards counted as run with
    autograd on."""
    from ptgrade.course import manifest as manifest_module
    manifest = manifest_module.load(KIT_ROOT)
    item = manifest.item("5.1")
    path = tmp_path / item.file_name
    reference = (manifest.solutions_dir / item.file_name).read_text(encoding="utf-8")
    path.write_text(reference + GRAD_MODE_LIAR, encoding="utf-8")  # the reference, with this evaluate last
    result = runner.grade(manifest, item, path, only=["test_evaluate_uses_eval_mode_without_grad"], lang="en")
    (check,) = result.checks
    assert check.outcome == "failed" and "autograd on" in check.message, check.message
