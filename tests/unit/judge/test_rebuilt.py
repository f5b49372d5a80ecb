"""ptgrade/judge/rebuilt.py: student exceptions rebuilt in the judge from the worker's description (the proxy and
the worker's connection are tested end to end)."""
import torch

from ptgrade.judge import rebuilt
from ptgrade.protocol import problems


def _info(mro, message="boom", **extra):
    return {"type": mro[0].rsplit(".", 1)[-1], "mro": mro, "message": message, "summary": message,
            "location": " (line 3: `x`)", "not_started": "", "implementation": False, "missing_name": False,
            "memory": False, **extra}


def test_student_exceptions_are_rebuilt_as_their_class_but_never_as_the_graders_own():
    runtime = rebuilt.rebuild_error(_info(["builtins.RuntimeError", "builtins.Exception", "builtins.BaseException"]))
    assert isinstance(runtime, RuntimeError) and str(runtime) == "boom"
    assertion = rebuilt.rebuild_error(_info(["builtins.AssertionError", "builtins.Exception"]))
    assert not isinstance(assertion, AssertionError)
    skipped = rebuilt.rebuild_error(_info(["_pytest.outcomes.Skipped", "_pytest.outcomes.OutcomeException",
                                          "builtins.BaseException"]))
    assert isinstance(skipped, rebuilt.StudentError)
    stub = rebuilt.rebuild_error(_info(["builtins.NotImplementedError"],
                                      not_started="`f` still raises NotImplementedError"))
    assert isinstance(stub, NotImplementedError)


def test_a_rebuilt_error_carries_the_workers_description():
    info = _info(["torch.OutOfMemoryError", "builtins.RuntimeError"])
    error = rebuilt.rebuild_error(info)
    assert isinstance(error, torch.OutOfMemoryError) and error.ptgrade is info


def test_file_problems_are_rebuilt_as_the_kits_classes():
    missing = rebuilt.rebuild_error(_info(["ptgrade.protocol.problems.MissingName"], missing_name=True,
                                         implementation=True))
    assert isinstance(missing, problems.MissingName) and isinstance(missing, AttributeError)
    broken = rebuilt.rebuild_error(_info(["builtins.SyntaxError"], implementation=True))
    assert type(broken) is problems.ImplementationError


def test_an_unknown_or_forged_class_is_a_student_error():
    for mro in (["student_module.MyError", "builtins.Exception"], ["os.system"], "builtins.RuntimeError", None, []):
        error = rebuilt.rebuild_error({"message": "boom", "mro": mro})
        assert type(error) is rebuilt.StudentError and str(error) == "boom"
