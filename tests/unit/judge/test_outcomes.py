"""ptgrade/judge/outcomes.py: a check's outcome and the sentence the student reads, for each kind of report and
exception the judge classifies. Inputs are built the way plugin.pytest_runtest_makereport passes them: pytest's
ExceptionInfo of what the check raised (an exception rebuilt from the worker's description, or the grader's own)
and its TestReport."""
import pytest
from _pytest.reports import TestReport

from ptgrade.judge import outcomes, rebuilt
from ptgrade.protocol.contract import CheckTimeout, WorkerProblem
from ptgrade.protocol.problems import ImplementationError, MissingName, NotStarted


def _report(outcome="failed", when="call", longrepr="Traceback ...") -> TestReport:
    return TestReport("graders/test_s1_1_demo.py::test_a", ("graders/test_s1_1_demo.py", 3, "test_a"), {}, outcome,
                      longrepr, when)


def _raised(error: BaseException) -> pytest.ExceptionInfo:
    try:
        raise error
    except BaseException:  # noqa: B036 - every kind, SystemExit included, is classified
        return pytest.ExceptionInfo.from_current()


def _classify(error: BaseException, when="call"):
    return outcomes.classify(_raised(error), _report(when=when))


def _info(mro, message="boom", **extra):
    """The worker's description of what student code raised (loader.describe_error's shape)."""
    return {"type": mro[0].rsplit(".", 1)[-1], "mro": mro, "message": message, "summary": message,
            "location": " (line 3: `x`)", "not_started": "", "implementation": False, "missing_name": False,
            "memory": False, **extra}


class _Report:
    def __init__(self, passed=False, skipped=False, longrepr=None):
        self.passed, self.skipped, self.longrepr = passed, skipped, longrepr


class _ExcInfo:
    def __init__(self, value):
        self.value = value


def test_classification_from_the_judges_point_of_view():
    stub = rebuilt.rebuild_error(_info(["builtins.NotImplementedError"],
                                      not_started="`f` still raises NotImplementedError"))
    assert outcomes.classify(_ExcInfo(stub), _Report()) == ("not_started", "`f` still raises NotImplementedError")
    crash = rebuilt.rebuild_error(_info(["builtins.ZeroDivisionError", "builtins.ArithmeticError"],
                                       summary="ZeroDivisionError: x"))
    assert outcomes.classify(_ExcInfo(crash), _Report()) == \
        ("error", "your code raised ZeroDivisionError: x (line 3: `x`).")
    assert outcomes.classify(_ExcInfo(AssertionError("expected 2, got 3")), _Report())[0] == "failed"
    skip = rebuilt.rebuild_error(_info(["_pytest.outcomes.Skipped", "_pytest.outcomes.OutcomeException"]))
    assert outcomes.classify(_ExcInfo(skip), _Report())[0] == "error"
    assert outcomes.classify(_ExcInfo(CheckTimeout("timed out after 3 s")), _Report()) == \
        ("error", "timed out after 3 s")
    assert outcomes.classify(_ExcInfo(TypeError("'int' object is not subscriptable")), _Report())[1].startswith(
        "the grader could not use what your code returned")


# -- from the report alone ------------------------------------------------------------------------------
def test_a_passed_check():
    assert outcomes.classify(None, _report("passed", longrepr=None)) == ("passed", "")


def test_a_skipped_check_gives_the_judges_reason():
    skipped = _report("skipped", longrepr=("graders/test_s1_1_demo.py", 3, "Skipped: needs a CUDA GPU"))
    assert outcomes.classify(None, skipped) == ("skipped", "needs a CUDA GPU")
    assert outcomes.classify(None, _report("skipped", longrepr="Skipped: no GPU")) == ("skipped", "no GPU")


def test_a_failure_without_an_exception_is_an_error_with_the_report():
    assert outcomes.classify(None, _report(longrepr="something broke in pytest")) == \
        ("error", "something broke in pytest")


# -- the student's own NotImplementedError: not started --------------------------------------------------
def test_not_started_from_the_worker_and_from_a_chain():
    assert _classify(NotStarted("s1_1_demo.py raises NotImplementedError while being imported.")) == \
        ("not_started", "s1_1_demo.py raises NotImplementedError while being imported.")
    stub = rebuilt.rebuild_error(_info(["builtins.NotImplementedError"], not_started="`double` still raises "
                                                                                    "NotImplementedError"))
    try:
        try:
            raise stub
        except NotImplementedError as error:
            raise RuntimeError("the grader's helper failed") from error
    except RuntimeError as error:
        assert _classify(error) == ("not_started", "`double` still raises NotImplementedError")


def test_a_not_implemented_error_that_is_not_the_students_stub_is_an_error():
    from_torch = rebuilt.rebuild_error(_info(["builtins.NotImplementedError", "builtins.RuntimeError"],
                                            summary="NotImplementedError: Cannot copy out of meta tensor"))
    assert _classify(from_torch) == \
        ("error", "your code raised NotImplementedError: Cannot copy out of meta tensor (line 3: `x`).")


# -- the file, the process, the kit ------------------------------------------------------------------
@pytest.mark.parametrize("error", [ImplementationError("s1_1_demo.py has a syntax error on line 2: invalid syntax."),
                                   MissingName("s1_1_demo.py defines no `double`."),
                                   CheckTimeout("timed out after 3 s and had to be stopped"),
                                   WorkerProblem("your code used more than 4 GiB of memory (MemoryError)")])
def test_a_file_or_process_problem_is_an_error_said_as_it_is(error):
    assert _classify(error) == ("error", str(error))


def test_the_judges_own_memory_error_blames_the_kit(monkeypatch):
    monkeypatch.setattr(outcomes.sandbox, "judge_memory_gib", lambda: 3.0)  # PTGRADE_JUDGE_MEMORY_GIB, read once
    outcome, message = _classify(MemoryError())
    assert outcome == "error" and "(its limit is 3 GiB" in message and "not your code" in message


def test_the_students_memory_error_is_the_students():
    student = rebuilt.rebuild_error(_info(["builtins.MemoryError"], summary="MemoryError", memory=True))
    assert _classify(student) == ("error", "your code raised MemoryError (line 3: `x`).")


def test_pytest_timeouts_say_timed_out():
    outcome, message = _classify(pytest.fail.Exception("Timeout (>35.0s) from pytest-timeout.\nstack ..."))
    assert outcome == "error"
    assert message == ("timed out: Timeout (>35.0s) from pytest-timeout. (an infinite loop, or far too much work for "
                       "this check?)")


def test_sys_exit_in_student_code():
    exited = rebuilt.rebuild_error(_info(["builtins.SystemExit", "builtins.BaseException"]))
    assert isinstance(exited, rebuilt.StudentError)
    outcome, message = _classify(exited)
    assert outcome == "error" and message.startswith("your code called sys.exit() (line 3: `x`);")


@pytest.mark.parametrize("mro", [["_pytest.outcomes.Skipped", "_pytest.outcomes.OutcomeException"],
                                 ["_pytest.outcomes.Failed", "_pytest.outcomes.OutcomeException"],
                                 ["_pytest.outcomes.Exit", "_pytest.outcomes.OutcomeException"]])
def test_student_code_that_tries_to_decide_its_own_check(mro):
    outcome, message = _classify(rebuilt.rebuild_error(_info(mro, message="Timeout: pretend")))
    assert outcome == "error" and message.startswith("your code called pytest.skip(), pytest.fail() or pytest.exit()")


def test_a_students_assertion_error_is_an_error_not_a_failed_promise():
    claimed = rebuilt.rebuild_error(_info(["builtins.AssertionError", "builtins.Exception"],
                                         summary="AssertionError: all good"))
    assert _classify(claimed) == ("error", "your code raised AssertionError: all good (line 3: `x`).")


# -- the grader's own verdicts and mishaps ---------------------------------------------------------------
def test_a_broken_promise_is_failed_with_the_graders_message():
    assert _classify(AssertionError("  double(torch.ones(3)): expected 2.0, got 1.0  ")) == \
        ("failed", "double(torch.ones(3)): expected 2.0, got 1.0")
    assert _classify(AssertionError()) == ("failed", "a check failed")
    assert _classify(pytest.fail.Exception("the loss did not decrease")) == ("failed", "the loss did not decrease")


def test_the_grader_failing_in_setup_blames_the_kit():
    outcome, message = _classify(RuntimeError("fixture broke\nmore detail"), when="setup")
    assert outcome == "error"
    assert message == ("the grader failed while preparing this check (RuntimeError: fixture broke); this is a problem "
                       "with the kit, not your code.")


def test_only_the_kits_own_mishaps_are_marked_as_the_kits_fault(monkeypatch):
    monkeypatch.setattr(outcomes.sandbox, "judge_memory_gib", lambda: 3.0)
    verdict = lambda error, when="call": outcomes.verdict(_raised(error), _report(when=when))  # noqa: E731
    assert verdict(MemoryError())[2] and verdict(RuntimeError("fixture broke"), when="setup")[2]
    student = rebuilt.rebuild_error(_info(["builtins.MemoryError"], summary="MemoryError", memory=True))
    for error in (student, TypeError("not subscriptable"), AssertionError("expected 2"), CheckTimeout("timed out"),
                  WorkerProblem("your code used more than 4 GiB")):
        assert verdict(error)[2] is False, error
    assert verdict(WorkerProblem("the worker died"), when="setup")[2] is False


def test_the_grader_unable_to_use_a_return_value():
    assert _classify(TypeError("'int' object is not subscriptable")) == \
        ("error", "the grader could not use what your code returned (TypeError: 'int' object is not subscriptable).")
    assert _classify(KeyError()) == ("error", "the grader could not use what your code returned (KeyError).")


def test_long_messages_are_clipped():
    outcome, message = _classify(AssertionError("x" * 5000))
    assert outcome == "failed" and len(message) == outcomes.MAX_MESSAGE and message.endswith("...")
    assert outcomes.clip("short") == "short"


def test_chain_follows_causes_and_contexts_once():
    first = ValueError("first")
    second = RuntimeError("second")
    second.__context__ = first
    first.__cause__ = second  # a cycle
    assert list(outcomes.chain(second)) == [second, first]


def test_a_mistake_named_once_is_pointed_at_by_later_checks_of_the_same_file():
    causes = outcomes.FirstCauses()
    named = AssertionError("softmax(x): your result is what this mistake gives: softmax over the batch axis.")
    named.ptgrade_mistake = "softmax over the batch axis."
    assert causes.message("alice", named, "softmax matches torch", "first message") == "first message"
    later = causes.message("alice", named, "softmax keeps the shape", "second message")
    assert later == 'the same mistake as in the check "softmax matches torch": softmax over the batch axis.'
    assert causes.message("bob", named, "softmax keeps the shape", "bob's message") == "bob's message"  # per file
    assert causes.message("alice", AssertionError("plain"), "another", "plain message") == "plain message"
