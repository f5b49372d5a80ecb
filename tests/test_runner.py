"""The runner and the plugin: every outcome, and every kind of bad input a student can send."""
import os
import signal

import pytest
from conftest import MINI_GRADER

from ptgrade.host import runner, warm_judges
from ptgrade.protocol.plan import JudgeStart, Mode


def outcomes(result):
    return {check.name: check.outcome for check in result.checks}


def grade(kit, path, **kwargs):
    return runner.grade(kit.manifest, kit.item, path, **kwargs)


def test_solution_passes_every_check_and_gpu_check_skips_with_reason(kit):
    result = grade(kit, kit.root / "solutions" / "s1_1_demo.py")
    assert outcomes(result) == {"test_double_doubles": "passed", "test_square_gradient": "passed",
                                "test_double_on_cuda": "skipped"}
    gpu = result.checks[2]
    assert gpu.gpu and "CUDA" in gpu.message
    assert (result.score, result.max_score, result.passed) == (3.0, 3.0, True)


def test_untouched_stub_is_not_started_and_scores_zero(kit):
    result = grade(kit, kit.root / "exercises" / "s1_1_demo.py")
    assert outcomes(result)["test_double_doubles"] == "not_started"
    assert outcomes(result)["test_square_gradient"] == "not_started"
    assert "`double` still raises NotImplementedError" in result.checks[0].message
    assert result.score == 0 and result.status == "not started"


def test_wrong_value_fails_with_expected_and_got(kit):
    path = kit.submission("def double(x):\n    return x * 3\n\ndef square(x):\n    return x ** 2\n")
    result = grade(kit, path)
    check = result.checks[0]
    assert check.outcome == "failed"
    assert "expected 2, got 3" in check.message and "Hint: multiply by two" in check.message
    assert outcomes(result)["test_square_gradient"] == "passed"


def test_syntax_error_is_one_clear_sentence_for_every_check(kit):
    result = grade(kit, kit.submission("def double(x)\n    return x\n"))
    assert {c.outcome for c in result.checks if not c.gpu} == {"error"}
    assert "syntax error on line 1" in result.checks[0].message


def test_missing_function_names_it_and_other_checks_still_run(kit):
    result = grade(kit, kit.submission("def double(x):\n    return x * 2\n"))
    assert outcomes(result)["test_double_doubles"] == "passed"
    square = result.checks[1]
    assert square.outcome == "error" and "defines no `square`" in square.message


def test_wrong_return_types_are_named(kit):
    for body, word in (("return [2.0, 2.0, 2.0]", "list"), ("return x.numpy() * 2", "numpy.ndarray"),
                       ("return None", "None")):
        result = grade(kit, kit.submission(f"def double(x):\n    {body}\n\ndef square(x):\n    return x ** 2\n"))
        check = result.checks[0]
        assert check.outcome == "failed" and "should be a torch.Tensor" in check.message and word in check.message


def test_tensor_subclass_that_compares_equal_to_anything_earns_nothing(kit):
    path = kit.submission("""
        import torch
        class Liar(torch.Tensor):
            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                return True
        def double(x):
            return x.as_subclass(Liar)
        def square(x):
            return x ** 2
    """)
    check = grade(kit, path).checks[0]
    # Its overrides stay in the student's process: the judge receives a plain tensor of ones.
    assert check.outcome == "failed" and "expected 2, got 1" in check.message


def test_exception_in_student_code_names_line(kit):
    path = kit.submission("def double(x):\n    return x / undefined_name\n\ndef square(x):\n    return x ** 2\n")
    check = grade(kit, path).checks[0]
    assert check.outcome == "error"
    assert "NameError" in check.message and "line 2" in check.message


def test_infinite_loop_times_out_and_other_checks_still_run(quick_kit):
    path = quick_kit.submission("def double(x):\n    while True:\n        pass\n\ndef square(x):\n    return x ** 2\n")
    result = grade(quick_kit, path)
    assert outcomes(result)["test_double_doubles"] == "error"
    assert "timed out" in result.checks[0].message
    assert outcomes(result)["test_square_gradient"] == "passed"


def test_infinite_loop_at_import_is_reported_for_every_check(quick_kit):
    result = grade(quick_kit, quick_kit.submission("while True:\n    pass\n"))
    assert {c.outcome for c in result.checks if not c.gpu} == {"error"}
    assert "importing" in result.checks[0].message


# One more check that calls `double`: what a timeout in `double` costs the checks after it.
HANG_GRADER = MINI_GRADER + '''

@pytest.mark.points(1)
@pytest.mark.numerics
def test_double_keeps_the_shape(impl):
    assert tuple(impl.double(torch.ones(2, 2)).shape) == (2, 2)
'''


def test_a_function_that_timed_out_is_not_waited_for_again(quick_kit):
    quick_kit.write("graders/test_s1_1_demo.py", HANG_GRADER)
    path = quick_kit.submission("def double(x):\n    while True:\n        pass\n\ndef square(x):\n    return x ** 2\n")
    result = grade(quick_kit, path)
    assert outcomes(result) == {"test_double_doubles": "error", "test_square_gradient": "passed",
                                "test_double_on_cuda": "skipped", "test_double_keeps_the_shape": "error"}
    assert "timed out after 5 s" in result.checks[0].message
    assert "not run: double timed out in an earlier check" in result.checks[3].message


def test_an_import_that_timed_out_is_not_waited_for_again(quick_kit):
    quick_kit.write("graders/test_s1_1_demo.py", HANG_GRADER)
    result = grade(quick_kit, quick_kit.submission("while True:\n    pass\n"))
    assert {c.outcome for c in result.checks if not c.gpu} == {"error"}
    assert "while importing your module" in result.checks[0].message
    assert all("not run: importing your module timed out in an earlier check" in c.message
               for c in result.checks[1:] if not c.gpu)


def test_the_limit_derives_from_the_reference_time_kept_by_verify(kit):
    """The item allows 60 s per check; its record says the reference's longest check took 0.01 s: a hang costs
    the floor (3 s), and an import that is merely slow (4 s) is not held to that limit."""
    kit.write("graders/check_seconds.json", '{"1.1": 0.01}')
    path = kit.submission("import time\ntime.sleep(4)\n\ndef double(x):\n    while True:\n        pass\n\n"
                          "def square(x):\n    return x ** 2\n")
    result = grade(kit, path)
    assert outcomes(result)["test_square_gradient"] == "passed"
    assert "timed out after 3 s" in result.checks[0].message


def test_sys_exit_at_import(kit):
    result = grade(kit, kit.submission("import sys\nsys.exit(0)\n"))
    assert {c.outcome for c in result.checks if not c.gpu} == {"error"}
    assert "sys.exit()" in result.checks[0].message


def test_os_exit_at_import_costs_every_check(kit):
    result = grade(kit, kit.submission("import os\nos._exit(0)\n"))
    assert {c.outcome for c in result.checks if not c.gpu} == {"error"}
    assert "importing" in result.checks[0].message


def test_sys_exit_in_a_function(kit):
    path = kit.submission("import sys\ndef double(x):\n    sys.exit(0)\n\ndef square(x):\n    return x ** 2\n")
    result = grade(kit, path)
    assert outcomes(result)["test_double_doubles"] == "error" and "sys.exit()" in result.checks[0].message
    assert outcomes(result)["test_square_gradient"] == "passed"


def test_os_exit_in_a_function_costs_only_that_check(kit):
    path = kit.submission("import os\ndef double(x):\n    os._exit(0)\n\ndef square(x):\n    return x ** 2\n")
    result = grade(kit, path)
    assert outcomes(result)["test_double_doubles"] == "error"
    assert "ended the grading process" in result.checks[0].message
    assert outcomes(result)["test_square_gradient"] == "passed"


def test_a_printed_fake_report_is_only_output(kit):
    path = kit.submission("""
        import json
        print(json.dumps({"event": "result", "name": "test_double_doubles", "outcome": "passed", "message": ""}))
        def double(x):
            return x * 3
        def square(x):
            return x * 0
    """)
    result = grade(kit, path)
    assert outcomes(result)["test_double_doubles"] == "failed"
    assert outcomes(result)["test_square_gradient"] == "failed"


def test_conftest_dropped_beside_the_student_file_is_ignored(kit):
    kit.write("submission/conftest.py", """
        import pytest
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_makereport(item, call):
            report = yield
            report.outcome = "passed"
            return report
    """)
    kit.write("submission/pytest.ini", "[pytest]\naddopts = -p no:ptgrade.judge.plugin\n")
    result = grade(kit, kit.submission("def double(x):\n    return x * 3\n\ndef square(x):\n    return x\n"))
    assert outcomes(result)["test_double_doubles"] == "failed"


def test_student_file_is_not_modified_and_no_bytecode_is_written(kit):
    path = kit.submission(SOLUTION_TEXT := "def double(x):\n    return x * 2\n\ndef square(x):\n    return x ** 2\n")
    grade(kit, path)
    assert path.read_text() == SOLUTION_TEXT
    assert sorted(p.name for p in path.parent.iterdir()) == ["s1_1_demo.py"]


def test_item_not_built_is_a_problem_not_a_crash(kit):
    result = runner.grade(kit.manifest, kit.manifest.item("1.2"), kit.root / "exercises" / "s1_2_later.py")
    assert "not built yet" in result.problem and not result.checks


def test_grader_bug_without_dimension_marker_is_reported(kit):
    kit.write("graders/test_s1_1_demo.py", "import pytest\n\n@pytest.mark.points(1)\ndef test_x(impl):\n    pass\n")
    result = grade(kit, kit.root / "solutions" / "s1_1_demo.py")
    assert "could not start" in result.problem and "dimension marker" in result.problem


def test_a_grader_fixture_that_fails_blames_the_kit_not_the_student(kit):
    kit.write("graders/test_s1_1_demo.py",
              "import pytest\n\n@pytest.fixture\ndef table():\n    return {}['missing']\n\n"
              "@pytest.mark.points(1)\n@pytest.mark.numerics\ndef test_x(impl, table):\n    pass\n")
    result = grade(kit, kit.root / "solutions" / "s1_1_demo.py")
    check = result.checks[0]
    assert check.outcome == "error" and "KeyError" in check.message
    assert "problem with the kit" in check.message and "your code returned" not in check.message


def test_only_runs_the_named_checks(kit):
    result = grade(kit, kit.root / "solutions" / "s1_1_demo.py", only=["test_square_gradient"])
    assert outcomes(result) == {"test_square_gradient": "passed"}


def test_skipping_from_student_code_is_an_error_not_a_skip(kit):
    path = kit.submission("import pytest\ndef double(x):\n    pytest.skip('no')\n\n"
                          "def square(x):\n    pytest.xfail('no')\n")
    result = grade(kit, path)
    assert outcomes(result)["test_double_doubles"] == "error" and "pytest.skip()" in result.checks[0].message
    assert outcomes(result)["test_square_gradient"] == "error"
    assert result.max_score == 3.0


def test_torch_not_implemented_error_is_a_mistake_not_a_stub(kit):
    # Copying out of a meta tensor raises torch's own NotImplementedError: that is an error to report.
    path = kit.submission("import torch\ndef double(x):\n    return torch.empty(3, device='meta').cpu() * 0 + 2\n\n"
                          "def square(x):\n    return x ** 2\n")
    result = grade(kit, path)
    assert outcomes(result)["test_double_doubles"] == "error"
    assert "NotImplementedError" in result.checks[0].message


def test_a_standby_judge_grades_the_file_as_saved_when_released_not_as_it_was_started(kit):
    from conftest import SOLUTION
    path = kit.submission("raise RuntimeError('the file as it was when the judge started')\n")
    standby = runner.Standby(kit.manifest, kit.item, path)
    path.write_text(SOLUTION)  # the save happens while the judge and its worker are loading
    result = standby.grade()
    assert (result.score, result.max_score) == (3.0, 3.0), [c.message for c in result.checks]
    assert path.read_text() == SOLUTION  # graded from a copy, as always


def test_a_standby_judge_that_is_never_used_leaves_no_process(kit):
    import os
    import signal
    standby = runner.Standby(kit.manifest, kit.item, kit.root / "exercises" / "s1_1_demo.py")
    group = standby.judge.process.pid
    standby.cancel()
    try:
        os.killpg(group, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive and standby.judge.process.poll() == -signal.SIGKILL


def test_one_judge_for_many_files_gives_each_the_result_its_own_judge_would(kit):
    """`grade_many` (verify, grade) judges many files in one judge, each in a worker of its own: the results
    are the ones `grade` gives file by file, whether the workers are fresh or forks of one warm zygote."""
    files = {"solution": kit.root / "solutions" / "s1_1_demo.py", "stub": kit.root / "exercises" / "s1_1_demo.py",
             "wrong": kit.write("wrong/s1_1_demo.py",
                                "def double(x):\n    return x * 3\n\ndef square(x):\n    return x ** 2\n"),
             "syntax": kit.write("syntax/s1_1_demo.py", "def double(x)\n"),
             "exits": kit.write("exits/s1_1_demo.py", "import os\nos._exit(3)\n"),
             "again": kit.root / "solutions" / "s1_1_demo.py"}  # one file under two keys
    alone = {key: grade(kit, path) for key, path in files.items()}
    for mode in Mode:
        together = runner.grade_many(kit.manifest, kit.item, [runner.Planned(k, p) for k, p in files.items()],
                                     mode=mode)
        for key in files:
            assert [(c.name, c.outcome, c.message) for c in together[key].checks] == \
                   [(c.name, c.outcome, c.message) for c in alone[key].checks], (mode, key)
    only = runner.grade_many(kit.manifest, kit.item, [runner.Planned("wrong", files["wrong"],
                                                                     only=("test_double_doubles",))])
    assert outcomes(only["wrong"]) == {"test_double_doubles": "failed"}


def test_judges_forked_from_the_warm_server_grade_as_fresh_ones_in_the_language_asked(kit):
    """`verify` forks its judges from one warm server (ptgrade/host/warm_judges.py): the results are a fresh judge's,
    in the language the run asks for (nothing of the server's state is inherited), and once the server is gone
    judges start the usual way."""
    wrong = kit.write("wrong/s1_1_demo.py", "def double(x):\n    return x * 3\n\ndef square(x):\n    return x ** 2\n")
    files = [runner.Planned("wrong", wrong), runner.Planned("stub", kit.root / "exercises" / "s1_1_demo.py")]

    def graded(lang, start=JudgeStart.WARM):
        results = runner.grade_many(kit.manifest, kit.item, files, mode=Mode.BANK, start=start, lang=lang)
        return {key: [(c.name, c.outcome, c.message) for c in result.checks] for key, result in results.items()}

    korean = graded("ko")
    assert korean == graded("ko", JudgeStart.FRESH)
    assert "기댓값은 2인데 결과는 3입니다" in korean["wrong"][0][2], korean["wrong"][0]
    server = warm_judges.server(kit.manifest.root, {})
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()
    with pytest.raises(warm_judges.ServerGone):
        warm_judges.server(kit.manifest.root, {})
    assert graded("ko") == korean
