"""Calling the student's code and saying what it raised: one exception list and one summary for every grader.

What student code raises reaches the judge as data (ptgrade/judge/remote.py): rebuilt as the same builtin or
library class, or as a `StudentError` (the student's own classes, and an AssertionError, which must never
pass for a failed promise), each carrying the worker's description in `.ptgrade` (type, message, the line
of the student's file). Every such exception is the student's mistake and becomes a failed check that
says what was raised. What is not the student's mistake goes through untouched, for the engine to
classify: the student's own NotImplementedError ("not started"), a file that cannot be used, the worker
dying or timing out, sys.exit()/pytest.* called by student code, and anything raised in the judge itself
(no `.ptgrade`: a grader bug must not read as the student's).
"""
from __future__ import annotations

from graders.support.assertions import say
from graders.support.raised import CAP, explaining_line
from ptgrade.judge.remote import WorkerProblem
from ptgrade.protocol import problems
from ptgrade.protocol.problems import ImplementationError, NotStarted

_ENGINE_CLASSIFIES = ("builtins.SystemExit", "_pytest.outcomes.OutcomeException")


def passes_through(error: BaseException) -> bool:
    """The exception is not a mistake to report as a failed check: the engine classifies it itself."""
    if isinstance(error, (NotStarted, ImplementationError, WorkerProblem)):
        return True
    info = getattr(error, "ptgrade", None)
    if not isinstance(info, dict):
        return True  # raised in the judge: the grader's own problem, not the student's
    return bool(info.get("not_started") or info.get("implementation") or info.get("missing_name")) \
        or any(name in info.get("mro", ()) for name in _ENGINE_CLASSIFIES)


def kind(error: BaseException) -> str:
    """The class name of an exception, as the student's process named it (not `StudentError`)."""
    info = getattr(error, "ptgrade", None)
    return str(info["type"]) if isinstance(info, dict) and info.get("type") else type(error).__name__


def summary(error: BaseException, cap: int = CAP) -> str:
    """`Type: the line that explains it` (graders/support/raised.py), and where in the student's file it was
    raised when known."""
    return explaining_line(error, kind(error), cap) + _where(error)


def _where(error: BaseException) -> str:
    info = getattr(error, "ptgrade", None)
    found = problems.line_in(str(info.get("location") or "")) if isinstance(info, dict) else None
    return "" if found is None else problems.at_line(*found)


def attempt(function, *args, **kwargs):
    """(function(*args, **kwargs), None), or (None, the exception) when the student's code raised one;
    what `passes_through` goes through."""
    try:
        return function(*args, **kwargs), None
    except Exception as error:  # noqa: BLE001 - sorted by passes_through: the student's mistakes come back
        if passes_through(error):
            raise
        return None, error


def raised(what: str, error: BaseException, hint: str = "") -> AssertionError:
    """The failure for `what` having raised `error` (`what` already in the judge's language)."""
    return AssertionError(say(f"{what} raised {summary(error)}", f"{what}에서 예외가 발생했습니다: {summary(error)}")
                          + (f"\n{say('Hint', '힌트')}: {hint}" if hint else ""))


def calling(what: str, hint: str, function, *args, **kwargs):
    """function(*args, **kwargs); an exception of the student's code fails the check with `what raised
    Type: line` and the hint."""
    value, error = attempt(function, *args, **kwargs)
    if error is not None:
        raise raised(what, error, hint)  # outside the except block: the student's error is not its cause
    return value
