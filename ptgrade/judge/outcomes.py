"""A check's outcome and the sentence the student reads, decided in the judge from pytest's report.

Outcomes: passed, failed (a promise the grader checked was broken), not_started (the student's own
NotImplementedError), error (student code raised, hung, crashed or returned something unusable),
skipped (only the judge skips: a `gpu` check on a machine without CUDA).
"""
from __future__ import annotations

from ptgrade import sandbox
from ptgrade.i18n import _
from ptgrade.protocol.contract import WorkerProblem
from ptgrade.protocol.problems import ImplementationError, NotStarted
from ptgrade.protocol.results import Outcome

MAX_MESSAGE = 1500


def chain(error: BaseException):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _is_timeout(error: BaseException) -> bool:
    return type(error).__name__ == "Failed" and str(error).startswith("Timeout")


def classify(excinfo, report) -> tuple[str, str]:
    """(outcome, message) of a check from its pytest report."""
    outcome, message, _kit_fault = verdict(excinfo, report)
    return outcome, message


def verdict(excinfo, report) -> tuple[str, str, bool]:
    """(outcome, message, kit_fault) of a check from its pytest report; kit_fault: the error is the kit's
    (the judge's memory, the grader's own preparation), never to be blamed on the student."""
    outcome, message = _classify(excinfo, report)
    return outcome, message, isinstance(message, _KitsFault)


class _KitsFault(str):
    """A message that says the kit failed, not the student's code."""


def _classify(excinfo, report) -> tuple[str, str]:
    if report.passed:
        return Outcome.PASSED, ""
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        return Outcome.SKIPPED, reason.removeprefix("Skipped: ")
    error = excinfo.value if excinfo is not None else None
    if error is None:
        return Outcome.ERROR, clip(str(report.longrepr))
    for link in chain(error):
        if isinstance(link, NotStarted):
            return Outcome.NOT_STARTED, clip(str(link))
        started = getattr(link, "ptgrade", None)
        if isinstance(started, dict) and started.get("not_started"):
            return Outcome.NOT_STARTED, clip(str(started[Outcome.NOT_STARTED]))
    if isinstance(error, (ImplementationError, WorkerProblem)):
        return Outcome.ERROR, clip(str(error))
    if isinstance(error, MemoryError) and getattr(error, "ptgrade", None) is None:
        return Outcome.ERROR, _KitsFault(_("the grader ran out of memory while judging this check (its limit is "
                                           "{limit} GiB, PTGRADE_JUDGE_MEMORY_GIB); this is a problem with the kit, "
                                           "not your code.").format(limit=f"{sandbox.judge_memory_gib():g}"))
    if _is_timeout(error):
        return Outcome.ERROR, clip(_("timed out: {detail} (an infinite loop, or far too much work for this check?)")
                                   .format(detail=str(error).splitlines()[0]))
    info = getattr(error, "ptgrade", None)
    if isinstance(info, dict):
        if "builtins.SystemExit" in info.get("mro", []):
            return Outcome.ERROR, clip(_("your code called sys.exit(){where}; a function should return or raise "
                                   "instead.").format(where=info.get("location", "")))
        if "_pytest.outcomes.OutcomeException" in info.get("mro", []):
            return Outcome.ERROR, _("your code called pytest.skip(), pytest.fail() or pytest.exit(); a graded function "
                              "must not decide its own check.")
        return Outcome.ERROR, clip(_("your code raised {error}{where}.").format(error=info.get("summary", ""),
                                                                       where=info.get("location", "")))
    if isinstance(error, AssertionError) or type(error).__name__ == "Failed":
        return Outcome.FAILED, clip(str(error).strip() or _("a check failed"))
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    error_text = type(error).__name__ + (": " + text if text else "")
    if getattr(report, "when", None) == "setup":
        # The grader's own preparation (fixtures, the worker's start) failed before it had any answer to use.
        return Outcome.ERROR, _KitsFault(clip(_("the grader failed while preparing this check ({error}); this is a "
                                                "problem with the kit, not your code.").format(error=error_text)))
    # Raised in the judge while it used what the student's code returned (a wrong type or shape).
    return Outcome.ERROR, clip(_("the grader could not use what your code returned ({error}).")
                               .format(error=error_text))


def clip(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."


class FirstCauses:
    """Per file, the first check whose failure named a known mistake (a grader's `mistakes`): a later check that
    fails for the same mistake says so and points at that check, instead of repeating the diagnosis."""

    def __init__(self):
        self.first: dict[tuple, str] = {}

    def message(self, key, error: BaseException | None, title: str, message: str) -> str:
        mistake = getattr(error, "ptgrade_mistake", None)
        if not isinstance(mistake, str):
            return message
        earlier = self.first.setdefault((key, mistake), title)
        if earlier == title:
            return message
        return clip(_("the same mistake as in the check \"{check}\": {mistake}").format(check=earlier,
                                                                                      mistake=mistake))
