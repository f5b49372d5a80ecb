"""The one result type: every renderer (rich, --json, Gradescope, nbgrader, CSV) reads these."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


class Outcome:
    """A check's outcome, as every process names it (the judge decides it: ptgrade/judge/outcomes.py)."""
    PASSED = "passed"            # the promise was kept
    FAILED = "failed"            # a promise the grader checked was broken
    NOT_STARTED = "not_started"  # the student's own NotImplementedError: the stub is untouched
    SKIPPED = "skipped"          # it cannot run here (a GPU check without a GPU)
    ERROR = "error"              # the student's code crashed, hung or sent what cannot be read, or the kit failed


OUTCOMES = (Outcome.PASSED, Outcome.FAILED, Outcome.NOT_STARTED, Outcome.SKIPPED, Outcome.ERROR)


@dataclass
class CheckResult:
    name: str
    dimension: str
    max_score: float
    outcome: str = Outcome.ERROR
    message: str = ""
    gpu: bool = False
    titles: dict = field(default_factory=dict)  # {"en": ..., "ko": ...} from @pytest.mark.title
    # The kit failed here, not the student's code (the judge ran out of memory, its preparation failed, it
    # ended early): an ERROR that reports show apart and never blame on the student.
    kit_fault: bool = False
    seconds: float = 0.0  # from the check's start to its result, timed by the host (never by the student's process)
    student_seconds: float = 0.0  # of the check's limit, the time the student's code used (timed by the judge)

    @property
    def score(self) -> float:
        return self.max_score if self.outcome == Outcome.PASSED else 0.0

    def title(self, lang: str) -> str:
        """The check's human title in `lang`; without one, its name in words."""
        return self.titles.get(lang) or self.titles.get("en") or self.name.removeprefix("test_").replace("_", " ")

    def to_json(self) -> dict:
        data = asdict(self)
        data["score"] = self.score
        return data


@dataclass
class ItemResult:
    id: str
    title: str
    checks: list[CheckResult] = field(default_factory=list)
    # A problem with the item as a whole (not built, grader missing, run could not start).
    problem: str = ""
    # False for an item the curriculum lists but has not built yet: nothing to grade, and no failure.
    built: bool = True
    kit_fault: bool = False  # the problem is the kit's (its grader could not start), not the student's

    @property
    def score(self) -> float:
        return sum(check.score for check in self.checks)

    @property
    def max_score(self) -> float:
        """Points that could be earned here: a check skipped for want of a GPU is not counted."""
        return sum(check.max_score for check in self.checks if check.outcome != Outcome.SKIPPED)

    @property
    def passed(self) -> bool:
        """Every check that ran passed; a skipped check (no GPU here) does not count against it."""
        return (not self.problem and bool(self.checks)
                and all(c.outcome in (Outcome.PASSED, Outcome.SKIPPED) for c in self.checks)
                and any(c.outcome == Outcome.PASSED for c in self.checks))

    @property
    def status(self) -> str:
        if self.problem:
            return "problem"
        if self.passed:
            return "done"
        if all(c.outcome in (Outcome.NOT_STARTED, Outcome.SKIPPED) for c in self.checks):
            return "not started"
        return f"{self.score:g} of {self.max_score:g}"

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "score": self.score, "max_score": self.max_score,
                "status": self.status, "problem": self.problem, "built": self.built, "kit_fault": self.kit_fault,
                "checks": [check.to_json() for check in self.checks]}

    @classmethod
    def from_json(cls, data: dict) -> "ItemResult":
        checks = [CheckResult(name=c["name"], dimension=c["dimension"], max_score=c["max_score"],
                              outcome=c["outcome"], message=c.get("message", ""), gpu=c.get("gpu", False),
                              titles=c.get("titles") or {}, kit_fault=c.get("kit_fault", False) is True,
                              seconds=float(c.get("seconds", 0.0)),
                              student_seconds=float(c.get("student_seconds", 0.0)))
                  for c in data.get("checks", [])]
        return cls(id=data["id"], title=data["title"], checks=checks, problem=data.get("problem", ""),
                   built=data.get("built", True), kit_fault=data.get("kit_fault", False) is True)
